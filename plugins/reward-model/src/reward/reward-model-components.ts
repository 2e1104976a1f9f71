import type { ComponentFactoryV1, MetricResultV1 } from '@rlgf/contracts';
import { createRewardScorer, rewardModelOptionHelp, type RewardModelFactorySettings } from './reward-options';

/** The `reward-model` reward: the reward model's score of prompt + generation, on the last token. */
export function createRewardModelRewardFactory(settings: RewardModelFactorySettings = {}): ComponentFactoryV1<'reward'> {
  return {
    specificationVersion: 'v1',
    kind: 'reward',
    id: 'reward-model',
    description: 'a learned reward model (GPT-2/Llama sequence classifier) scoring prompt + generation, here or over HTTP',
    options: rewardModelOptionHelp,
    async create(options, context) {
      const scorer = await createRewardScorer(options, context, 'reward', settings);
      context.logger.info(`reward-model reward: ${scorer.description}`);
      return {
        specificationVersion: 'v1',
        id: 'reward-model',
        granularity: 'terminal',
        async doScore({ samples, abortSignal }) {
          return { scores: await scorer.score(samples.map((sample) => `${sample.prompt}${sample.generation}`), abortSignal), warnings: [] };
        },
        async close() {
          scorer.dispose();
        },
      };
    },
  };
}

/** The `reward-model` metric: the mean reward-model score of prompt + prediction. */
export function createRewardModelMetricFactory(settings: RewardModelFactorySettings = {}): ComponentFactoryV1<'metric'> {
  return {
    specificationVersion: 'v1',
    kind: 'metric',
    id: 'reward-model',
    description: 'mean reward-model score of prompt + prediction (as the reward-model reward)',
    options: rewardModelOptionHelp,
    async create(options, context) {
      const scorer = await createRewardScorer(options, context, 'metric', settings);
      return {
        specificationVersion: 'v1',
        id: 'reward-model',
        reference: `mean score of ${scorer.description} (TRIL's learned reward metric for TL;DR)`,
        higherIsBetter: true,
        async doCompute({ items, perItem, abortSignal }): Promise<MetricResultV1> {
          if (items.length === 0) return { corpus: {}, warnings: [] };
          const missing = items.filter((item) => item.prompt === undefined).length;
          const scores = await scorer.score(items.map((item) => `${item.prompt ?? ''}${item.prediction}`), abortSignal);
          const warnings = missing > 0 ? [{ type: 'missing-prompt', message: `${missing} item(s) have no prompt: their predictions are scored alone` }] : [];
          return { corpus: { reward_model: scores.reduce((a, b) => a + b, 0) / scores.length }, ...(perItem ? { perItem: { reward_model: scores } } : {}), warnings };
        },
        async close() {
          scorer.dispose();
        },
      };
    },
  };
}

export const rewardModelRewardFactory = createRewardModelRewardFactory();
export const rewardModelMetricFactory = createRewardModelMetricFactory();
