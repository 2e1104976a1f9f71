import { sharedHubMirror } from '@rlgf/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../testing/run-cli';

describe('rlgf generate', () => {
  const stories = join(sharedHubMirror(), 'models/karpathy/tinyllamas/stories260K');
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'rlgf-cli-generate-'));
    const convert = ['convert', 'llama2c', '--checkpoint', join(stories, 'stories260K.bin'), '--tokenizer', join(stories, 'tok512.bin'), '--out', 'stories'];
    expect((await runCli(convert, { cwd: scratch })).code).toBe(0);
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  it('continues a prompt greedily as llama2.c run.c does, as JSON', async () => {
    const result = await runCli(['generate', '--model', 'stories', '--prompt', 'Once upon a time', '--max-new-tokens', '12', '--format', 'json'], { cwd: scratch });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout) as { prompt_ids: number[]; ids: number[]; text: string };
    // `./run stories260K.bin -z tok512.bin -t 0 -i "Once upon a time"` (recorded in the llama2c fixtures).
    expect(output.prompt_ids).toEqual([1, 403, 407, 261, 378]);
    expect(output.ids).toEqual([432, 383, 286, 261, 376, 298, 315, 421, 395, 317, 426, 338]);
    expect(output.text.length).toBeGreaterThan(0);
  });

  it('prints prompt and continuation as text, and nothing else on stdout', async () => {
    const json = JSON.parse((await runCli(['generate', '--model', 'stories', '--prompt-ids', '1,403,407,261,378', '--max-new-tokens', '6', '--format', 'json'], { cwd: scratch })).stdout) as {
      text: string;
    };
    const result = await runCli(['generate', '--model', 'stories', '--prompt', 'Once upon a time', '--max-new-tokens', '6'], { cwd: scratch });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`Once upon a time${json.text}\n`);
  });

  it('samples reproducibly from a seed', async () => {
    const args = ['generate', '--model', 'stories', '--prompt', 'Lily', '--max-new-tokens', '10', '--temperature', '1.2', '--top-p', '0.9', '--format', 'json'];
    const first = await runCli([...args, '--seed', '4'], { cwd: scratch });
    const again = await runCli([...args, '--seed', '4'], { cwd: scratch });
    expect(first.code).toBe(0);
    expect(again.stdout).toBe(first.stdout);
  });

  it('exits 2 with one line on contradictory or malformed options', async () => {
    const both = await runCli(['generate', '--model', 'stories', '--prompt', 'a', '--prompt-ids', '1', '--format', 'json'], { cwd: scratch });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('exactly one of --prompt and --prompt-ids');
    const greedySampling = await runCli(['generate', '--model', 'stories', '--prompt', 'a', '--greedy', '--top-k', '5'], { cwd: scratch });
    expect(greedySampling.code).toBe(2);
    expect(greedySampling.stderr.trim().split('\n')).toHaveLength(1);
    const badIds = await runCli(['generate', '--model', 'stories', '--prompt-ids', '1,x'], { cwd: scratch });
    expect(badIds.code).toBe(2);
    expect(badIds.stderr).toContain('--prompt-ids');
  });
});
