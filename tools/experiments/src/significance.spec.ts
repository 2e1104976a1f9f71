import { permutationTest, tInterval95 } from './significance';

describe('tInterval95', () => {
  it('is mean ± t(0.975, n − 1) · s / √n', () => {
    // 1, 2, 3: mean 2, s = 1, t(0.975, 2) = 4.302653 → half-width 4.302653 / √3 = 2.484138.
    const interval = tInterval95([1, 2, 3]);
    expect(interval.mean).toBe(2);
    expect(interval.halfWidth).toBeCloseTo(2.484138, 5);
    // Five seeds: s = √2.5 for 1 … 5, t(0.975, 4) = 2.776445 → 2.776445 · √2.5 / √5 = 1.963243.
    expect(tInterval95([1, 2, 3, 4, 5]).halfWidth).toBeCloseTo(1.963243, 5);
  });

  it('refuses a single value', () => {
    expect(() => tInterval95([0.5])).toThrow('a confidence interval needs at least 2 values, got 1');
  });
});

describe('permutationTest', () => {
  it('gives the smallest attainable p when every value of one side is above the other', () => {
    // C(6, 3) = 20 relabellings; only the observed one and its mirror are as extreme.
    expect(permutationTest([4, 5, 6], [1, 2, 3])).toBeCloseTo(2 / 20, 12);
    // C(10, 5) = 252.
    expect(permutationTest([6, 7, 8, 9, 10], [1, 2, 3, 4, 5])).toBeCloseTo(2 / 252, 12);
  });

  it('counts ties with the observed difference, by hand on 2 against 2', () => {
    // Pooled 1, 2, 3, 4; observed |mean(1, 4) − mean(2, 3)| = 0: every one of the 6 splits is at least as extreme.
    expect(permutationTest([1, 4], [2, 3])).toBe(1);
    // Observed {1, 3} vs {2, 4}: |2 − 3| = 1. Splits: {1,2} 2, {1,3} 1, {1,4} 0, {2,3} 0, {2,4} 1, {3,4} 2 → 4 of 6.
    expect(permutationTest([1, 3], [2, 4])).toBeCloseTo(4 / 6, 12);
  });

  it('handles unequal sizes (5 seeds against 3)', () => {
    // C(8, 5) = 56 splits. Observed: the top five (mean 6) against the bottom three (mean 2), 4 apart;
    // the bottom five (mean 3) against the top three (mean 7) are 4 apart too; every other split less.
    expect(permutationTest([4, 5, 6, 7, 8], [1, 2, 3])).toBeCloseTo(2 / 56, 12);
  });
});
