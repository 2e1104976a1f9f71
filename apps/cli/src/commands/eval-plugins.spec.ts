import { sharedHubMirror } from '@rlgf/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { runCli } from '../testing/run-cli';

// The counting task lives only in a plugin folder: `rlgf eval` finds it through --plugin or --config.
describe('rlgf eval with plugins', () => {
  const stories = join(sharedHubMirror(), 'models/karpathy/tinyllamas/stories260K');
  const fixtures = join(__dirname, '../__fixtures__');
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'rlgf-cli-eval-plugins-'));
    const convert = ['convert', 'llama2c', '--checkpoint', join(stories, 'stories260K.bin'), '--tokenizer', join(stories, 'tok512.bin'), '--out', 'stories'];
    expect((await runCli(convert, { cwd: scratch })).code).toBe(0);
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  // The fixture task's default reward is not registered anywhere: name built-in ones.
  const evalCounting = (...extra: string[]) =>
    runCli(['eval', '--model', './stories', '--task', 'counting', '--reward', 'target-share', '--metrics', 'target-share', '-n', '2', ...extra], { cwd: scratch });

  it('loads a plugin named by --plugin (a path from the working directory)', async () => {
    const result = await evalCounting('--plugin', relative(scratch, join(fixtures, 'task-plugin-counting')));
    expect(result.stderr).not.toContain('error');
    expect(JSON.parse(result.stdout)).toMatchObject({ task: 'counting', prompts: 2, scores: { 'target-share': expect.any(Number) } });
  });

  it('loads the plugins a recipe names with --config (paths from the recipe folder)', async () => {
    // counting.yaml names ./task-plugin-counting, next to it.
    const result = await evalCounting('--config', join(fixtures, 'counting.yaml'));
    expect(result.stderr).not.toContain('error');
    expect(JSON.parse(result.stdout)).toMatchObject({ task: 'counting', prompts: 2 });
  });

  it('names the task as unknown without them (exit 2)', async () => {
    const result = await evalCounting();
    expect(result.stderr).toMatch(/unknown task "counting"/);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown task "counting"/);
  });
});
