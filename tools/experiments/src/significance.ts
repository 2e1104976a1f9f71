import jStat from 'jstat';

/** Mean and the half-width of its two-sided 95% confidence interval (Student's t, n − 1 degrees of freedom). */
export interface Interval {
  readonly mean: number;
  readonly halfWidth: number;
}

const mean = (values: readonly number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/**
 * The 95% t-interval of a mean over seeds: mean ± t(0.975, n − 1) · s / √n with the sample
 * standard deviation s. Seeds are few (3-5), so the t quantile is far from 1.96 (4.30 at n = 3).
 */
export function tInterval95(values: readonly number[]): Interval {
  if (values.length < 2) throw new Error(`a confidence interval needs at least 2 values, got ${values.length}`);
  const m = mean(values);
  const s = Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / (values.length - 1));
  return { mean: m, halfWidth: jStat.studentt.inv(0.975, values.length - 1) * (s / Math.sqrt(values.length)) };
}

/** Every way of choosing `k` of the indices 0 … n − 1, in lexicographic order. */
function* combinations(n: number, k: number, start = 0, chosen: number[] = []): Generator<number[]> {
  if (chosen.length === k) {
    yield chosen;
    return;
  }
  for (let i = start; i <= n - (k - chosen.length); i++) yield* combinations(n, k, i + 1, [...chosen, i]);
}

/**
 * Exact two-sided permutation test of a difference in means: the share of all C(n_a + n_b, n_a)
 * relabellings of the pooled seeds whose |mean difference| is at least the observed one. It
 * assumes nothing about the distribution of a final score over seeds, which 3-5 seeds could not
 * check; its smallest attainable p is 2 / C(n_a + n_b, n_a) (0.1 at 3 against 3, 0.0079 at 5
 * against 5), so with 3 seeds no difference can reach p < 0.05.
 */
export function permutationTest(a: readonly number[], b: readonly number[]): number {
  if (a.length === 0 || b.length === 0) throw new Error('a permutation test needs values on both sides');
  const pooled = [...a, ...b];
  const total = pooled.reduce((x, y) => x + y, 0);
  const observed = Math.abs(mean(a) - mean(b));
  // Sums compared with a tolerance: a relabelling that equals the observed split must count.
  const tolerance = 1e-12 * Math.max(1, Math.abs(total));
  let extreme = 0;
  let count = 0;
  for (const chosen of combinations(pooled.length, a.length)) {
    const sumA = chosen.reduce((sum, i) => sum + pooled[i], 0);
    const difference = Math.abs(sumA / a.length - (total - sumA) / b.length);
    if (difference >= observed - tolerance) extreme += 1;
    count += 1;
  }
  return extreme / count;
}
