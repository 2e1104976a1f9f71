import { sharedHubMirror } from '@rlgf/testing';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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
    expect(both.stderr).toContain('exactly one of --prompt, --prompt-ids and --chat');
    const greedySampling = await runCli(['generate', '--model', 'stories', '--prompt', 'a', '--greedy', '--top-k', '5'], { cwd: scratch });
    expect(greedySampling.code).toBe(2);
    expect(greedySampling.stderr.trim().split('\n')).toHaveLength(1);
    const badIds = await runCli(['generate', '--model', 'stories', '--prompt-ids', '1,x'], { cwd: scratch });
    expect(badIds.code).toBe(2);
    expect(badIds.stderr).toContain('--prompt-ids');
  });

  it('presents --chat through the chat template (generation prompt on, no second BOS), and fails in one line without one', async () => {
    const plain = await runCli(['generate', '--model', 'stories', '--chat', 'Lily', '--max-new-tokens', '4'], { cwd: scratch });
    expect(plain.code).toBe(1);
    expect(plain.stderr.trim().split('\n')).toHaveLength(1);
    expect(plain.stderr).toContain('has no chat_template');
    const file = join(scratch, 'stories', 'tokenizer_config.json');
    const tokenizerConfig = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    // A template that writes BOS's text itself, as Llama 3's does, and opens the answer with " and".
    const template = "{{ bos_token }}{% for m in messages %}{{ m['content'] }}{% endfor %}{% if add_generation_prompt %} and{% endif %}";
    await writeFile(file, JSON.stringify({ ...tokenizerConfig, bos_token: '<s>', chat_template: template }));
    const chat = await runCli(['generate', '--model', 'stories', '--chat', 'Once upon a time', '--max-new-tokens', '6', '--format', 'json'], { cwd: scratch });
    expect(chat.stderr).toBe('');
    const rendered = JSON.parse(chat.stdout) as { prompt_ids: number[]; ids: number[] };
    const direct = await runCli(['generate', '--model', 'stories', '--prompt', 'Once upon a time and', '--max-new-tokens', '6', '--format', 'json'], { cwd: scratch });
    // `--prompt` adds BOS (id 1) through the tokenizer; the template wrote "<s>", which encodes to the same single id.
    expect(rendered).toEqual(JSON.parse(direct.stdout));
    expect(rendered.prompt_ids.filter((id) => id === 1)).toHaveLength(1);
    await writeFile(file, JSON.stringify(tokenizerConfig));
  });
});
