import { InvalidArgumentError, type ComponentFactoryV1 } from '@rlgf/contracts';
import { letters } from './synthetic-options';

/** Share of the words of `text` equal to `target` (0 for an empty text). */
export function targetShare(text: string, target: string): number {
  const words = text.split(/\s+/).filter(Boolean);
  return words.length === 0 ? 0 : words.filter((word) => word === target).length / words.length;
}

function parseTarget(options: Readonly<Record<string, unknown>>, kind: string): string {
  const target = options.target ?? 'a';
  if (typeof target !== 'string' || !letters.includes(target)) {
    throw new InvalidArgumentError({ argument: `${kind}.options.target`, value: target, expected: `one of the letters ${letters.join('')}` });
  }
  return target;
}

function parseThreshold(options: Readonly<Record<string, unknown>>): number | undefined {
  const threshold = options.threshold;
  if (threshold === undefined) return undefined;
  if (typeof threshold !== 'number' || threshold <= 0 || threshold > 1) {
    throw new InvalidArgumentError({ argument: 'reward.options.threshold', value: threshold, expected: 'a number in (0, 1]' });
  }
  return threshold;
}

export const targetShareReward: ComponentFactoryV1<'reward'> = {
  specificationVersion: 'v1',
  kind: 'reward',
  id: 'target-share',
  description: 'share of the generated words equal to a target letter, or 1/0 above/below a threshold (synthetic task)',
  options: {
    target: 'the letter to count (default a)',
    threshold: 'if set, the reward is sparse: 1 when the share reaches it, else 0 (a hard exploration problem)',
  },
  async create(options) {
    const target = parseTarget(options, 'reward');
    const threshold = parseThreshold(options);
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

export const targetShareMetric: ComponentFactoryV1<'metric'> = {
  specificationVersion: 'v1',
  kind: 'metric',
  id: 'target-share',
  description: 'mean share of the target letter in the predictions (synthetic task)',
  options: { target: 'the letter to count (default a)' },
  async create(options) {
    const target = parseTarget(options, 'metric');
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
