import { generationBatch } from './imdb-setting';

describe('generationBatch', () => {
  it('is the largest batch of at most 32 that divides the rollout batch', () => {
    // The recipe refuses a generation batch that does not divide the rollout batch (32 does not divide 112).
    expect(generationBatch(112)).toBe(28);
    expect(generationBatch(64)).toBe(32);
    expect(generationBatch(16)).toBe(16);
    expect(generationBatch(31)).toBe(31);
    expect(generationBatch(37 * 2)).toBe(2);
  });
});
