import jStat from 'jstat';
import { finalValue, type RunResult } from './run-results';

/** One algorithm's final test value of a metric over its seeds. */
export interface SeedStats {
  readonly name: string;
  readonly values: readonly number[];
  readonly mean: number;
  readonly std: number;
  readonly min: number;
  readonly max: number;
}

export function seedStats(name: string, values: readonly number[]): SeedStats {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
  return { name, values, mean, std, min: Math.min(...values), max: Math.max(...values) };
}

/** The final test value of `metric` of each variant's runs, best mean first. */
export function rankVariants(variants: readonly { name: string; runs: readonly RunResult[] }[], metric: string): SeedStats[] {
  return variants.map((variant) => seedStats(variant.name, variant.runs.map((run) => finalValue(run, 'test', metric)))).sort((a, b) => b.mean - a.mean);
}

/** "x ± s" with `digits` decimals. */
export const formatStats = (stats: SeedStats, digits = 3) => `${stats.mean.toFixed(digits)} ± ${stats.std.toFixed(digits)}`;

/** Whether every seed of `better` is above every seed of `worse` (three seeds settle nothing less). */
export const separated = (better: SeedStats, worse: SeedStats) => better.min > worse.max;

/**
 * Median and quartiles, `median (q1-q3)`: for wall-clock times, which pauses and neighbours on a
 * shared machine stretch now and then (a mean ± std would carry every stretch).
 */
export function formatQuartiles(values: readonly number[], digits = 1): string {
  const [q1, median, q3] = jStat.quartiles([...values]);
  return `${median.toFixed(digits)} (${q1.toFixed(digits)}-${q3.toFixed(digits)})`;
}
