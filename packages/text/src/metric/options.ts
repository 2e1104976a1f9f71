/** Arithmetic mean (0 for an empty list, as an empty corpus scores nothing). */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}
