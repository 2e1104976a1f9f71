import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedScores } from './experiment-kit';

describe('cachedScores', () => {
  it('runs the command once and afterwards reads the kept output', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'rlgf-kit-')), 'eval.json');
    let runs = 0;
    const evaluate = async () => {
      runs += 1;
      return JSON.stringify({ task: 'imdb', scores: { sentiment: 0.75 } });
    };
    expect(await cachedScores(file, evaluate)).toEqual({ sentiment: 0.75 });
    expect(await cachedScores(file, evaluate)).toEqual({ sentiment: 0.75 });
    expect(runs).toBe(1);
  });
});
