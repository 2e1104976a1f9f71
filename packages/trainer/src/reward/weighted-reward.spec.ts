import type { RewardFunctionV1 } from '@rlgf/contracts';
import { scoreWeighted } from './weighted-reward';

const terminal = (id: string, score: (text: string) => number): RewardFunctionV1 => ({
  specificationVersion: 'v1',
  id,
  granularity: 'terminal',
  doScore: async ({ samples }) => ({ scores: samples.map((s) => score(s.generation)), warnings: [] }),
});

const perToken: RewardFunctionV1 = {
  specificationVersion: 'v1',
  id: 'per-token',
  granularity: 'token',
  doScore: async ({ samples }) => {
    const tokenScores = samples.map((s) => (s.generationIds ?? []).map((id): number => (id === 7 ? 1 : 0)));
    return { scores: tokenScores.map((row) => row.reduce((a, b) => a + b, 0)), tokenScores, warnings: [] };
  },
};

const samples = [
  { prompt: 'p', generation: 'good good', references: [], generationIds: [7, 7, 1] },
  { prompt: 'p', generation: 'bad', references: [], generationIds: [1, 2] },
];

describe('weighted rewards', () => {
  it('sum terminal rewards with their weights and keep each part', async () => {
    const result = await scoreWeighted(
      [
        { reward: terminal('length', (t) => t.length), weight: 0.5 },
        { reward: terminal('good', (t) => (t.includes('good') ? 1 : 0)), weight: 2 },
      ],
      samples,
    );
    expect(result.total).toEqual([0.5 * 9 + 2, 0.5 * 3]);
    expect(result.parts).toEqual({ length: [9, 3], good: [1, 0] });
    expect(result.tokenScores).toBeUndefined();
  });

  it('mix per-token and terminal rewards by putting terminal ones on the last token', async () => {
    const result = await scoreWeighted([{ reward: perToken, weight: 1 }, { reward: terminal('one', () => 1), weight: 3 }], samples);
    expect(result.tokenScores).toEqual([[1, 1, 3], [0, 3]]);
    expect(result.total).toEqual([5, 3]);
  });

  it('refuses a reward that returns the wrong number of scores', async () => {
    const broken: RewardFunctionV1 = { ...terminal('broken', () => 1), doScore: async () => ({ scores: [1], warnings: [] }) };
    await expect(scoreWeighted([{ reward: broken, weight: 1 }], samples)).rejects.toThrow('reward "broken": got 1, expected 2 scores, one per sample');
  });
});
