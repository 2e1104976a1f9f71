import { sharedHubMirror } from '@rlgf/testing';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../testing/run-cli';

describe('rlgf convert llama2c', () => {
  const stories = join(sharedHubMirror(), 'models/karpathy/tinyllamas/stories260K');
  let out: string;
  beforeEach(async () => {
    out = await mkdtemp(join(tmpdir(), 'rlgf-cli-convert-'));
  });
  afterEach(() => rm(out, { recursive: true, force: true }));

  it('writes a Hub-style Llama folder for stories260K', async () => {
    const args = ['convert', 'llama2c', '--checkpoint', join(stories, 'stories260K.bin'), '--tokenizer', join(stories, 'tok512.bin'), '--out', 'model'];
    const result = await runCli(args, { cwd: out });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`wrote 47 tensors (260032 parameters) and the tokenizer to ${join(out, 'model')}\n`);
    expect((await readdir(join(out, 'model'))).sort()).toEqual(['config.json', 'model.safetensors', 'special_tokens_map.json', 'tokenizer.json', 'tokenizer_config.json']);
    expect(JSON.parse(await readFile(join(out, 'model/config.json'), 'utf8')).architectures).toEqual(['LlamaForCausalLM']);
  });

  it('fails in one line naming the file that does not fit', async () => {
    const args = ['convert', 'llama2c', '--checkpoint', join(stories, 'tok512.bin'), '--tokenizer', join(stories, 'tok512.bin'), '--out', 'model'];
    const result = await runCli(args, { cwd: out });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`${join(stories, 'tok512.bin')}: header field`);
  });
});
