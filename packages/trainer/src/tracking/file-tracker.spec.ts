import { mkdtemp, open, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toCsv } from './csv';
import { createFileTracker } from './file-tracker';

// `open` is the tracker's append; one test makes it fail as a full disk does.
jest.mock('node:fs/promises', () => {
  const actual = jest.requireActual('node:fs/promises');
  return { ...actual, open: jest.fn(actual.open) };
});

const lines = async (path: string) => (await readFile(path, 'utf8')).trim().split('\n');

describe('file tracker', () => {
  it('writes JSONL rows and a CSV with the union of columns on flush', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rlgf-track-'));
    const tracker = await createFileTracker({ dir, csv: true });
    tracker.logIteration(0, { 'reward/mean': 0.5, phase: 'aggrevated' });
    tracker.logIteration(1, { 'reward/mean': 0.6, kl: 0.01, phase: 'ppo++' });
    tracker.logEvaluation(1, 'validation', { sentiment: 0.7 });
    await tracker.flush();
    expect((await lines(join(dir, 'metrics.jsonl'))).map((l) => JSON.parse(l))).toEqual([
      { iteration: 0, 'reward/mean': 0.5, phase: 'aggrevated' },
      { iteration: 1, 'reward/mean': 0.6, kl: 0.01, phase: 'ppo++' },
    ]);
    expect(await lines(join(dir, 'metrics.csv'))).toEqual(['iteration,reward/mean,phase,kl', '0,0.5,aggrevated,', '1,0.6,ppo++,0.01']);
    expect(await lines(join(dir, 'evaluations.csv'))).toEqual(['iteration,split,sentiment', '1,validation,0.7']);
  });

  it('keeps the rows its checkpoint covers, sets the others aside and drops a line cut short by a crash', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rlgf-track-'));
    const rows = [0, 1, 2, 3].map((iteration) => JSON.stringify({ iteration, reward: iteration })).join('\n');
    await writeFile(join(dir, 'metrics.jsonl'), `${rows}\n{"iteration": 4, "rew`);
    await writeFile(join(dir, 'evaluations.jsonl'), [0, 2, 4].map((iteration) => `${JSON.stringify({ iteration, split: 'validation' })}\n`).join(''));
    const logged: string[] = [];
    const logger = { debug: () => undefined, info: () => undefined, warn: (text: string) => logged.push(text), error: () => undefined };
    const tracker = await createFileTracker({ dir, csv: true, keep: { kind: 'rows', rows: { metrics: 2, evaluations: 2 } }, logger });
    expect(tracker.rows()).toEqual({ metrics: 2, evaluations: 2 });
    expect(await lines(join(dir, 'metrics.csv'))).toEqual(['iteration,reward', '0,0', '1,1']);
    tracker.logIteration(2, { reward: 20 });
    expect(tracker.rows()).toEqual({ metrics: 3, evaluations: 2 });
    await tracker.close();
    expect((await lines(join(dir, 'metrics.jsonl'))).map((l) => JSON.parse(l).reward)).toEqual([0, 1, 20]);
    expect((await lines(join(dir, 'evaluations.jsonl'))).map((l) => JSON.parse(l).iteration)).toEqual([0, 2]);
    const [setAside] = await readdir(join(dir, 'checkpoints', 'set-aside'));
    expect(setAside).toMatch(/^journal-\d{4}-/);
    expect((await lines(join(dir, 'checkpoints', 'set-aside', setAside, 'metrics.jsonl'))).map((l) => JSON.parse(l).iteration)).toEqual([2, 3]);
    expect((await lines(join(dir, 'checkpoints', 'set-aside', setAside, 'evaluations.jsonl'))).map((l) => JSON.parse(l).iteration)).toEqual([4]);
    expect(logged).toEqual([`moved 2 metrics row(s) and 1 evaluations row(s) that the starting checkpoint does not cover to ${join(dir, 'checkpoints', 'set-aside', setAside)}`]);
  });

  it('starts empty when no checkpoint covers the rows, however often the run was started before', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rlgf-track-'));
    for (let start = 0; start < 3; start++) {
      const tracker = await createFileTracker({ dir, csv: true });
      tracker.logEvaluation(0, 'validation', { reward: 0.5 });
      tracker.logIteration(0, { reward: 0.1 });
      await tracker.close();
    }
    expect(await lines(join(dir, 'metrics.jsonl'))).toHaveLength(1);
    expect(await lines(join(dir, 'evaluations.jsonl'))).toHaveLength(1);
    expect(await lines(join(dir, 'evaluations.csv'))).toEqual(['iteration,split,reward', '0,validation,0.5']);
  });

  it('keeps rows by iteration for a checkpoint written before journal marks', async () => {
    // Such a checkpoint also predates counting from 1: after 2 iterations, its metrics rows are
    // labelled 0 and 1, its evaluations by iterations completed.
    const dir = await mkdtemp(join(tmpdir(), 'rlgf-track-'));
    await writeFile(join(dir, 'metrics.jsonl'), [0, 1, 2, 3].map((iteration) => `${JSON.stringify({ iteration })}\n`).join(''));
    await writeFile(join(dir, 'evaluations.jsonl'), [0, 2, 3].map((iteration) => `${JSON.stringify({ iteration, split: 'validation' })}\n`).join(''));
    const tracker = await createFileTracker({ dir, csv: false, keep: { kind: 'through-iteration', iteration: 2 } });
    await tracker.close();
    expect((await lines(join(dir, 'metrics.jsonl'))).map((l) => JSON.parse(l).iteration)).toEqual([0, 1]);
    // The evaluation after 2 iterations is labelled 2 and was logged before its checkpoint.
    expect((await lines(join(dir, 'evaluations.jsonl'))).map((l) => JSON.parse(l).iteration)).toEqual([0, 2]);
  });

  it('names the file and says the last checkpoint is intact when the disk fills up', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rlgf-track-'));
    const tracker = await createFileTracker({ dir, csv: false, resumeCommand: 'rlgf train --resume runs/x' });
    tracker.logIteration(0, { reward: 1 });
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', syscall: 'write' });
    jest.mocked(open).mockImplementationOnce(async () => ({ write: () => Promise.reject(full), sync: async () => undefined, close: async () => undefined }) as never);
    const error = await tracker.flush().catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      name: 'RLGF_CheckpointError',
      message: `no space left on the device (ENOSPC) writing ${join(dir, 'metrics.jsonl')}; the last checkpoint is intact (checkpoints are written whole or not at all)`,
      hint: 'free space on that disk, then continue with `rlgf train --resume runs/x`',
    });
  });

  it('quotes CSV fields that need it', () => {
    expect(toCsv([{ a: 'x,y', b: 'say "hi"', c: Number.NaN }])).toBe('a,b,c\n"x,y","say ""hi""",NaN\n');
  });
});
