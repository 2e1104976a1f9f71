/** Mean and population standard deviation (0 and 0 for an empty list). */
export function meanAndStd(values: readonly number[]): { mean: number; std: number } {
  if (values.length === 0) return { mean: 0, std: 0 };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length;
  return { mean, std: Math.sqrt(variance) };
}

/**
 * 1 − Var(returns − values) / Var(returns) over masked entries: how much of the return variance
 * the critic explains (1 perfect, 0 no better than a constant, negative worse). NaN without spread.
 */
export function explainedVariance(values: readonly number[], returns: readonly number[]): number {
  const { std: returnStd } = meanAndStd(returns);
  if (returnStd === 0) return Number.NaN;
  const { std: residualStd } = meanAndStd(returns.map((r, i) => r - values[i]));
  return 1 - residualStd ** 2 / returnStd ** 2;
}
