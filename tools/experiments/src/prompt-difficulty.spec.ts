import { difficultyThirds, meanOverSeeds, thirdMeans } from './prompt-difficulty';

describe('prompt difficulty thirds', () => {
  it('averages each prompt over seeds', () => {
    expect(meanOverSeeds([[0.2, 0.8, 0.5], [0.4, 0.6, 0.5]])).toEqual([0.30000000000000004, 0.7, 0.5]);
    expect(() => meanOverSeeds([[1, 2], [1]])).toThrow(/same 2 prompts/);
    expect(() => meanOverSeeds([])).toThrow(/no seeds/);
  });

  it('cuts prompts into thirds by starting reward, ties by prompt index', () => {
    // Ranked: p4 (0.1), p1 (0.2), p6 (0.2), p0 (0.5), p3 (0.6), p2 (0.7), p5 (0.9): 2 hardest, 2 easiest, 3 between.
    expect(difficultyThirds([0.5, 0.2, 0.7, 0.6, 0.1, 0.9, 0.2])).toEqual([1, 0, 2, 1, 0, 2, 1]);
    expect(difficultyThirds([0.3, 0.2, 0.1])).toEqual([2, 1, 0]);
    expect(() => difficultyThirds([1, 2])).toThrow(/at least 3/);
  });

  it('gives the mean reward per third and the gap between easiest and hardest', () => {
    const thirds = difficultyThirds([0.5, 0.2, 0.7, 0.6, 0.1, 0.9, 0.2]);
    const means = thirdMeans([0.6, 0.4, 0.9, 0.7, 0.2, 1.0, 0.5], thirds);
    expect(means.hard).toBeCloseTo((0.4 + 0.2) / 2, 12);
    expect(means.middle).toBeCloseTo((0.6 + 0.7 + 0.5) / 3, 12);
    expect(means.easy).toBeCloseTo((0.9 + 1.0) / 2, 12);
    expect(means.gap).toBeCloseTo(0.95 - 0.3, 12);
    expect(() => thirdMeans([1], thirds)).toThrow(/1 rewards for 7 prompts/);
  });
});
