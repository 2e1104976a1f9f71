/** Median of a list of speeds. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const number = (value: number) => (value >= 100 ? value.toFixed(0) : value.toPrecision(3));

/** "median (min–max)" of repeated speeds. */
export function spread(values: readonly number[] | undefined): string {
  if (values === undefined || values.length === 0) return 'n/a';
  if (values.length === 1) return number(values[0]);
  return `${number(median(values))} (${number(Math.min(...values))}–${number(Math.max(...values))})`;
}

/** ours / reference of the medians, as "1.23×". */
export function ratio(ours: readonly number[] | undefined, reference: readonly number[] | undefined): string {
  if (!ours?.length || !reference?.length) return 'n/a';
  return `${(median(ours) / median(reference)).toFixed(2)}×`;
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [`| ${header.join(' | ')} |`, `| ${header.map((_, i) => (i === 0 ? '---' : '---:')).join(' | ')} |`, ...rows.map((row) => `| ${row.join(' | ')} |`)];
}

export const megabytes = (value: number | undefined) => (value === undefined ? 'n/a' : `${value.toFixed(0)} MB`);
