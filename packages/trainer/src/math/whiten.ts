/**
 * Shifts and scales the masked entries to mean 0 and standard deviation 1 (population variance,
 * as TRL and RL4LMs compute it); masked-out entries stay 0. With fewer than two entries, or no
 * spread, only the mean is removed.
 */
export function whiten(values: readonly (readonly number[])[], mask: readonly (readonly number[])[]): number[][] {
  let count = 0;
  let sum = 0;
  values.forEach((row, i) => row.forEach((v, t) => {
    if (mask[i][t] > 0) {
      count++;
      sum += v;
    }
  }));
  const mean = count > 0 ? sum / count : 0;
  let squares = 0;
  values.forEach((row, i) => row.forEach((v, t) => {
    if (mask[i][t] > 0) squares += (v - mean) ** 2;
  }));
  const std = count > 1 ? Math.sqrt(squares / count) : 0;
  const scale = std > 1e-8 ? 1 / (std + 1e-8) : 1;
  return values.map((row, i) => row.map((v, t) => (mask[i][t] > 0 ? (v - mean) * scale : 0)));
}
