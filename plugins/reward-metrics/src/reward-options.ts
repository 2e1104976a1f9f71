import { existsSync } from 'node:fs';
import { z } from 'zod';

const metricTerm = z.strictObject({
  id: z.string().min(1).describe('a metric id, e.g. cider-d'),
  options: z.record(z.string(), z.unknown()).default({}).describe("the metric's options"),
  weight: z.number().finite().default(1),
  score: z.string().optional().describe('the per-item score name (e.g. rougeL of rouge); default: the metric\'s only one'),
});

/** One metric of the sum: the component to create, its weight, and which per-item score to read. */
export type MetricTerm = z.output<typeof metricTerm>;

/** The options of `metric-reward`; the core validates them and `rlgf plugins --options` shows them. */
export const metricRewardOptions = z.strictObject({
  metrics: z
    .array(metricTerm)
    .min(1)
    .optional()
    .describe(
      'metrics to sum: [{ id, options?, weight? (default 1), score? (per-item score name when the metric has several) }]; default [{ id: cider-d }], plus { id: spice } when env SPICE_JAR names an installed SPICE jar (the authors reward SPICE + CIDEr-D)',
    ),
});

export type MetricRewardOptions = z.output<typeof metricRewardOptions>;

/** The authors' CommonGen reward: CIDEr-D, plus SPICE with the same weight when the jar is installed. */
export function defaultMetricTerms(spiceJar: string | undefined): MetricTerm[] {
  const terms: MetricTerm[] = [{ id: 'cider-d', options: {}, weight: 1 }];
  if (spiceJar !== undefined && spiceJar !== '' && existsSync(spiceJar)) terms.push({ id: 'spice', options: {}, weight: 1 });
  return terms;
}
