import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toCsv } from './csv';
import { createFileTracker } from './file-tracker';

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

  it('drops rows after the resume point and a line cut short by a crash', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rlgf-track-'));
    const rows = [0, 1, 2, 3].map((iteration) => JSON.stringify({ iteration, reward: iteration })).join('\n');
    await writeFile(join(dir, 'metrics.jsonl'), `${rows}\n{"iteration": 4, "rew`);
    await writeFile(join(dir, 'evaluations.jsonl'), [0, 2, 3].map((iteration) => JSON.stringify({ iteration, split: 'validation' })).join('\n'));
    const tracker = await createFileTracker({ dir, csv: false, resumeAfterIteration: 1 });
    tracker.logIteration(2, { reward: 20 });
    await tracker.close();
    expect((await lines(join(dir, 'metrics.jsonl'))).map((l) => JSON.parse(l).reward)).toEqual([0, 1, 20]);
    // The evaluation after iteration 1 is labelled 2 and was logged before its checkpoint.
    expect((await lines(join(dir, 'evaluations.jsonl'))).map((l) => JSON.parse(l).iteration)).toEqual([0, 2]);
  });

  it('quotes CSV fields that need it', () => {
    expect(toCsv([{ a: 'x,y', b: 'say "hi"', c: Number.NaN }])).toBe('a,b,c\n"x,y","say ""hi""",NaN\n');
  });
});
