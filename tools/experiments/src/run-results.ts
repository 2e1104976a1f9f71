import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Row = Record<string, number | string>;

export function readJsonl(path: string): Row[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Row);
}

/** A finished run: its evaluations (by split) and per-iteration metrics. */
export interface RunResult {
  readonly runDir: string;
  readonly evaluations: Row[];
  readonly iterations: Row[];
}

export function readRun(runDir: string): RunResult {
  return { runDir, evaluations: readJsonl(join(runDir, 'evaluations.jsonl')), iterations: readJsonl(join(runDir, 'metrics.jsonl')) };
}

/** True when a run finished (its summary exists), so an experiment can skip it when re-run. */
export function finished(runDir: string): boolean {
  return existsSync(join(runDir, 'summary.md'));
}

/** The final evaluation's value of `metric` (the last row of `split`). */
export function finalValue(run: RunResult, split: string, metric: string): number {
  const rows = run.evaluations.filter((row) => row.split === split);
  const value = rows[rows.length - 1]?.[metric];
  return typeof value === 'number' ? value : Number.NaN;
}

/** Iterations until the `split` evaluation of `metric` first reaches `threshold` (NaN: never). */
export function iterationsToReach(run: RunResult, split: string, metric: string, threshold: number): number {
  const hit = run.evaluations.find((row) => row.split === split && typeof row[metric] === 'number' && (row[metric] as number) >= threshold);
  return hit === undefined ? Number.NaN : Number(hit.iteration);
}

/** The learning curve of `metric` on `split`: [iteration, value] pairs. */
export function curve(run: RunResult, split: string, metric: string): [number, number][] {
  return run.evaluations.filter((row) => row.split === split).map((row) => [Number(row.iteration), Number(row[metric])]);
}

/** A per-iteration tracking value over iterations: [iteration, value] pairs. */
export function iterationCurve(run: RunResult, key: string): [number, number][] {
  return run.iterations.map((row) => [Number(row.iteration), Number(row[key])]);
}
