import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { curve, finalValue, finished, iterationsToReach, readRun } from './run-results';

describe('experiment run results', () => {
  it('reads evaluations and finds final values, curves and the first iteration over a threshold', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rlgf-exp-'));
    const rows = [
      { iteration: 0, split: 'validation', score: 0.1 },
      { iteration: 2, split: 'validation', score: 0.35 },
      { iteration: 4, split: 'validation', score: 0.3 },
      { iteration: 4, split: 'test', score: 0.33 },
    ];
    await writeFile(join(dir, 'evaluations.jsonl'), rows.map((row) => JSON.stringify(row)).join('\n'));
    const run = readRun(dir);
    expect(finalValue(run, 'test', 'score')).toBe(0.33);
    expect(finalValue(run, 'train', 'score')).toBeNaN();
    expect(iterationsToReach(run, 'validation', 'score', 0.3)).toBe(2);
    expect(iterationsToReach(run, 'validation', 'score', 0.5)).toBeNaN();
    expect(curve(run, 'validation', 'score')).toEqual([[0, 0.1], [2, 0.35], [4, 0.3]]);
    expect(finished(dir)).toBe(false);
    await writeFile(join(dir, 'summary.md'), '# done');
    expect(finished(dir)).toBe(true);
  });
});
