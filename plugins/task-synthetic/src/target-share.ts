import type { ComponentFactoryV1 } from '@rlgf/contracts';
import { z } from 'zod';
import { letters } from './synthetic-options';

/** Share of the words of `text` equal to `target` (0 for an empty text). */
export function targetShare(text: string, target: string): number {
  const words = text.split(/\s+/).filter(Boolean);
  return words.length === 0 ? 0 : words.filter((word) => word === target).length / words.length;
}

const target = z.enum(letters as [string, ...string[]]).default('a').describe('the letter to count');

/** The options of the `target-share` reward; the core validates them. */
export const targetShareRewardOptions = z.strictObject({
  target,
  threshold: z
    .number()
    .gt(0)
    .max(1)
    .optional()
    .describe('if set, the reward is sparse: 1 when the share reaches it, else 0 (a hard exploration problem)'),
});

/** The options of the `target-share` metric. */
export const targetShareMetricOptions = z.strictObject({ target });

export const targetShareReward: ComponentFactoryV1<'reward', z.output<typeof targetShareRewardOptions>> = {
  specificationVersion: 'v1',
  kind: 'reward',
  id: 'target-share',
  description: 'share of the generated words equal to a target letter, or 1/0 above/below a threshold (synthetic task)',
  optionsSchema: targetShareRewardOptions,
  async create({ target, threshold }) {
    const score = (text: string) => {
      const share = targetShare(text, target);
      return threshold === undefined ? share : share >= threshold ? 1 : 0;
    };
    return {
      specificationVersion: 'v1',
      id: 'target-share',
      granularity: 'terminal',
      doScore: async ({ samples }) => ({ scores: samples.map((s) => score(s.generation)), warnings: [] }),
    };
  },
};

export const targetShareMetric: ComponentFactoryV1<'metric', z.output<typeof targetShareMetricOptions>> = {
  specificationVersion: 'v1',
  kind: 'metric',
  id: 'target-share',
  description: 'mean share of the target letter in the predictions (synthetic task)',
  optionsSchema: targetShareMetricOptions,
  async create({ target }) {
    return {
      specificationVersion: 'v1',
      id: 'target-share',
      reference: 'defined here: mean over items of (words equal to the target) / (words)',
      higherIsBetter: true,
      async doCompute({ items, perItem }) {
        const scores = items.map((item) => targetShare(item.prediction, target));
        const mean = scores.length === 0 ? 0 : scores.reduce((a, b) => a + b, 0) / scores.length;
        return { corpus: { 'target-share': mean }, perItem: perItem ? { 'target-share': scores } : undefined, warnings: [] };
      },
    };
  },
};
