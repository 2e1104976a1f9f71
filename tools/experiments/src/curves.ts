import { lineChartSvg } from '@rlgf/reporting';
import { curve, type RunResult } from './run-results';

/** One line per variant: the mean over seeds at each evaluated iteration, with a ±std band. */
export function meanCurveSvg(options: {
  readonly title: string;
  readonly yLabel: string;
  /** The x axis (default: iterations; learning curves by samples seen say so). */
  readonly xLabel?: string;
  /** An evaluation metric on a split, or `curveOf` for any other curve of a run. */
  readonly split?: string;
  readonly metric?: string;
  readonly curveOf?: (run: RunResult) => [number, number][];
  readonly variants: readonly { readonly name: string; readonly runs: readonly RunResult[] }[];
}): string {
  const curveOf = options.curveOf ?? ((run: RunResult) => curve(run, options.split ?? 'validation', options.metric ?? ''));
  const series = options.variants.map((variant) => {
    const byIteration = new Map<number, number[]>();
    for (const run of variant.runs) {
      for (const [iteration, value] of curveOf(run)) {
        if (!Number.isFinite(value)) continue;
        byIteration.set(iteration, [...(byIteration.get(iteration) ?? []), value]);
      }
    }
    const iterations = [...byIteration.keys()].sort((a, b) => a - b);
    const stats = iterations.map((iteration) => {
      const values = byIteration.get(iteration) ?? [];
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      return { iteration, mean, std: Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length) };
    });
    return { name: variant.name, points: stats.map((s) => [s.iteration, s.mean] as [number, number]), band: stats.map((s) => s.std) };
  });
  return lineChartSvg({ title: options.title, xLabel: options.xLabel ?? 'iteration', yLabel: options.yLabel, series });
}
