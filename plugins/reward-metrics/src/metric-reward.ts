import { InvalidArgumentError, type ComponentFactoryV1, type MetricResultV1, type MetricV1, type RewardFunctionV1, type WarningV1 } from '@rlgf/contracts';
import { defaultMetricTerms, metricRewardOptions, type MetricRewardOptions } from './reward-options';

/** A created metric with its weight and the per-item score it contributes. */
export interface WeightedMetric {
  readonly metric: MetricV1;
  readonly weight: number;
  /** Per-item score name; default: the metric's only one. */
  readonly score?: string;
}

function perItemScores(result: MetricResultV1, term: WeightedMetric, count: number): readonly number[] {
  const names = Object.keys(result.perItem ?? {});
  const name = term.score ?? (names.length === 1 ? names[0] : undefined);
  const values = name === undefined ? undefined : result.perItem?.[name];
  if (values === undefined || values.length !== count) {
    throw new InvalidArgumentError({
      argument: `reward.options.metrics (${term.metric.id})`,
      value: term.score,
      expected: names.length === 0 ? `a metric that reports per-item scores (${term.metric.id} reports none)` : `one of its per-item scores: ${names.join(', ')}`,
      hint: 'set `score` on the metric entry to pick one',
    });
  }
  return values;
}

/**
 * A terminal reward from metrics: each sample's reward is Σ weight × the metric's per-item score.
 * All samples of one call are computed as one corpus, so a metric with corpus statistics
 * (CIDEr-D's document frequencies) takes them over the references of the samples scored together:
 * the whole rollout batch, since the trainer scores a batch in one call, every sample its own
 * document (a concept set drawn twice counts twice). This is what TRIL's SpiderRewardFunction
 * does (it suffixes each prompt with a random id for exactly that). Scored one sample at a time,
 * CIDEr-D would always be 0 (log of one document). A sample a metric cannot score (SPICE's NaN for
 * an unparsable sentence) gets 0 from that metric, with a warning.
 */
export function createMetricReward(terms: readonly WeightedMetric[]): RewardFunctionV1 {
  return {
    specificationVersion: 'v1',
    id: 'metric-reward',
    granularity: 'terminal',
    async doScore({ samples, abortSignal }) {
      if (samples.length === 0) return { scores: [], warnings: [] };
      const items = samples.map((sample) => ({ prediction: sample.generation, references: sample.references, prompt: sample.prompt, meta: sample.meta }));
      const scores = new Array<number>(samples.length).fill(0);
      const warnings: WarningV1[] = [];
      for (const term of terms) {
        const result = await term.metric.doCompute({ items, perItem: true, abortSignal });
        warnings.push(...result.warnings);
        let unscored = 0;
        perItemScores(result, term, samples.length).forEach((value, i) => {
          if (Number.isFinite(value)) scores[i] += term.weight * value;
          else unscored++;
        });
        if (unscored > 0) warnings.push({ type: 'unscored-samples', message: `${term.metric.id} gave no score for ${unscored} of ${samples.length} samples; they get 0 from it` });
      }
      return { scores, warnings };
    },
    async close() {
      for (const term of terms) await term.metric.close?.();
    },
  };
}

export const metricRewardFactory: ComponentFactoryV1<'reward', MetricRewardOptions> = {
  specificationVersion: 'v1',
  kind: 'reward',
  id: 'metric-reward',
  description: 'weighted sum of metric scores per sample over the rollout batch (default CIDEr-D, + SPICE when SPICE_JAR is set: the authors\' CommonGen reward)',
  optionsSchema: metricRewardOptions,
  async create(options, context) {
    const terms: WeightedMetric[] = [];
    for (const term of options.metrics ?? defaultMetricTerms(process.env.SPICE_JAR)) {
      terms.push({ metric: await context.createComponent('metric', { id: term.id, options: term.options }), weight: term.weight, score: term.score });
    }
    return createMetricReward(terms);
  },
};
