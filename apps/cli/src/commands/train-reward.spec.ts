import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../testing/run-cli';
import { parseSettings } from './train-reward';

describe('rlgf train-reward', () => {
  let scratch: string;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'rlgf-cli-train-reward-'));
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  it('trains the IMDB classifier on a slice, shows progress on stderr and prints the result as JSON', async () => {
    const args = ['train-reward', '--task', 'imdb', '--out', 'classifier', '--seed', '2', '--backend', 'wasm'];
    const settings = ['--set', 'trainSize=1000', '--set', 'evalSize=200', '--set', 'buckets=16384', '--set', 'learningRate=0.01'];
    const result = await runCli([...args, ...settings], { cwd: scratch });
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output).toMatchObject({ task: 'imdb', trainer: 'imdb-sentiment', checkpointDir: join(scratch, 'classifier') });
    expect(output.metrics.accuracy).toBeGreaterThan(0.72);
    expect(output.metrics.eval_reviews).toBe(200);
    expect(output.usage).toContain('id: sentiment');
    expect(typeof output.seconds).toBe('number');
    expect((await readdir(join(scratch, 'classifier'))).sort()).toEqual(['config.json', 'model.safetensors']);
    expect(result.stderr).toMatch(/^train 32\/32 /m);
    expect(result.stderr).toContain('test accuracy');
  });

  it('names the tasks that have reward trainers when the task has none, in one line', async () => {
    const result = await runCli(['train-reward', '--task', 'commongen'], { cwd: scratch });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('expected a task with a reward trainer: imdb');
  });

  it('refuses a malformed --set and a setting the trainer does not know', async () => {
    const malformed = await runCli(['train-reward', '--task', 'imdb', '--set', 'epochs'], { cwd: scratch });
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('expected key=value');
    const unknown = await runCli(['train-reward', '--task', 'imdb', '--set', 'epoch=3'], { cwd: scratch });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('settings.epoch');
  });
});

describe('parseSettings', () => {
  it('reads values as JSON when they parse, as text otherwise', () => {
    expect(parseSettings(['epochs=3', 'rate=0.5', 'flag=true', 'name=abc', 'path=a=b', 'quoted="7"'])).toEqual({
      epochs: 3,
      rate: 0.5,
      flag: true,
      name: 'abc',
      path: 'a=b',
      quoted: '7',
    });
  });
});
