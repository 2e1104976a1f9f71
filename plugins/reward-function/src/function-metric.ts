import { InvalidArgumentError, type ComponentFactoryV1, type MetricItemV1, type MetricV1 } from '@rlgf/contracts';
import { z } from 'zod';
import { functionOptions } from './function-reward';
import { loadFunction } from './load-function';

export const functionMetricOptions = functionOptions.extend({
  name: z.string().regex(/^[\w./-]+$/).optional().describe('the score name in metrics and evaluations (default the export name, or the file name for a default export)'),
  higherIsBetter: z.boolean().default(true).describe('false for a score where less is better (an error rate)'),
});

export type FunctionMetricOptions = z.output<typeof functionMetricOptions>;
/** A metric item as the function sees it: `generation` repeats `prediction`, so one function can serve as reward and metric. */
export type FunctionMetricItem = MetricItemV1 & { readonly generation: string };
type BatchedMetric = (items: readonly FunctionMetricItem[], settings: Readonly<Record<string, unknown>>) => readonly number[] | Promise<readonly number[]>;
type ItemMetric = (item: FunctionMetricItem, settings: Readonly<Record<string, unknown>>) => number | Promise<number>;

/** The score name: given, else the export's name, else the module's file name (`./length.ts` -> `length`). */
export function metricName(options: Pick<FunctionMetricOptions, 'name' | 'export' | 'module'>): string {
  if (options.name !== undefined) return options.name;
  if (options.export !== 'default') return options.export;
  return (options.module.split('/').pop() ?? 'function').replace(/\.[cm]?[jt]s$/, '');
}

/** A metric from your function: a score per item (batched or one item at a time); the corpus score is their mean. */
export function createFunctionMetric(score: BatchedMetric | ItemMetric, options: Pick<FunctionMetricOptions, 'batched' | 'settings' | 'higherIsBetter'> & { readonly name: string; readonly source: string }): MetricV1 {
  return {
    specificationVersion: 'v1',
    id: 'function',
    reference: `your function ${options.source}`,
    higherIsBetter: options.higherIsBetter,
    async doCompute({ items: given, perItem }) {
      const items = given.map((item) => ({ ...item, generation: item.prediction }));
      const scores = options.batched ? await (score as BatchedMetric)(items, options.settings) : await Promise.all(items.map((item) => (score as ItemMetric)(item, options.settings)));
      if (!Array.isArray(scores) || scores.length !== items.length || !scores.every((value) => typeof value === 'number')) {
        throw new InvalidArgumentError({ argument: `metric ${options.source}`, expected: `one number per item (${items.length})`, hint: 'set `batched: false` for a function that scores one item' });
      }
      const mean = scores.length === 0 ? 0 : scores.reduce((sum, value) => sum + value, 0) / scores.length;
      return { corpus: { [options.name]: mean }, perItem: perItem ? { [options.name]: scores } : undefined, warnings: [] };
    },
  };
}

export const functionMetricFactory: ComponentFactoryV1<'metric', FunctionMetricOptions> = {
  specificationVersion: 'v1',
  kind: 'metric',
  id: 'function',
  description: 'your own metric: a named export of a local .ts/.js module scoring each item; the corpus score is the mean',
  optionsSchema: functionMetricOptions,
  async create(options, context) {
    const score = await loadFunction('metric', options.module, options.export, context.workingDirectory);
    return createFunctionMetric(score as BatchedMetric, { ...options, name: metricName(options), source: `${options.module}#${options.export}` });
  },
};
