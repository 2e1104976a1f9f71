import { InvalidArgumentError } from '@rlgf/contracts';
import { existsSync } from 'node:fs';

/** One metric of the sum: the component to create, its weight, and which per-item score to read. */
export interface MetricTerm {
  readonly id: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly weight: number;
  /** The per-item score name (e.g. `rougeL` of `rouge`); default: the metric's only one. */
  readonly score?: string;
}

export const metricRewardOptionHelp: Readonly<Record<string, string>> = {
  metrics:
    'metrics to sum: [{ id, options?, weight? (default 1), score? (per-item score name when the metric has several) }]; default [{ id: cider-d }], plus { id: spice } when env SPICE_JAR names an installed SPICE jar (the authors reward SPICE + CIDEr-D)',
};

/** The authors' CommonGen reward: CIDEr-D, plus SPICE with the same weight when the jar is installed. */
export function defaultMetricTerms(spiceJar: string | undefined): MetricTerm[] {
  const terms: MetricTerm[] = [{ id: 'cider-d', options: {}, weight: 1 }];
  if (spiceJar !== undefined && spiceJar !== '' && existsSync(spiceJar)) terms.push({ id: 'spice', options: {}, weight: 1 });
  return terms;
}

function term(value: unknown, index: number): MetricTerm {
  const at = `reward.options.metrics[${index}]`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError({ argument: at, value, expected: 'an object { id, options?, weight?, score? }' });
  }
  const entry = value as Record<string, unknown>;
  const unknown = Object.keys(entry).filter((key) => !['id', 'options', 'weight', 'score'].includes(key));
  if (unknown.length > 0) throw new InvalidArgumentError({ argument: `${at}.${unknown[0]}`, expected: 'only id, options, weight and score' });
  if (typeof entry.id !== 'string' || entry.id === '') throw new InvalidArgumentError({ argument: `${at}.id`, value: entry.id, expected: 'a metric id, e.g. cider-d' });
  const options = entry.options ?? {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidArgumentError({ argument: `${at}.options`, value: options, expected: "the metric's options as a mapping" });
  }
  const weight = entry.weight ?? 1;
  if (typeof weight !== 'number' || !Number.isFinite(weight)) throw new InvalidArgumentError({ argument: `${at}.weight`, value: weight, expected: 'a finite number' });
  if (entry.score !== undefined && typeof entry.score !== 'string') {
    throw new InvalidArgumentError({ argument: `${at}.score`, value: entry.score, expected: 'the name of a per-item score of the metric' });
  }
  return { id: entry.id, options: options as Record<string, unknown>, weight, score: entry.score };
}

/** Validates the options of `metric-reward`, naming the bad field. */
export function parseMetricTerms(options: Readonly<Record<string, unknown>>, spiceJar: string | undefined): MetricTerm[] {
  const unknown = Object.keys(options).filter((key) => key !== 'metrics');
  if (unknown.length > 0) throw new InvalidArgumentError({ argument: `reward.options.${unknown[0]}`, expected: 'only metrics' });
  if (options.metrics === undefined) return defaultMetricTerms(spiceJar);
  if (!Array.isArray(options.metrics) || options.metrics.length === 0) {
    throw new InvalidArgumentError({ argument: 'reward.options.metrics', value: options.metrics, expected: 'a non-empty list of metrics' });
  }
  return options.metrics.map(term);
}
