import type { ComponentFactoryV1 } from '@rlgf/contracts';
import { definePlugin } from '@rlgf/core';
import { z } from 'zod';
import { diversityStats } from './diversity';

/** The options of the `diversity` metric; the core validates them and `rlgf plugins --options` shows them. */
export const diversityOptions = z.strictObject({
  dropPunctuation: z.boolean().default(false).describe('drop single-character punctuation tokens first (GEM\'s "-nopunct" variant)'),
  windowSize: z.number().min(1).default(100).describe('MSTTR window in tokens (rounded to an integer)'),
});

export const diversityFactory: ComponentFactoryV1<'metric', z.output<typeof diversityOptions>> = {
  specificationVersion: 'v1',
  kind: 'metric',
  id: 'diversity',
  description: 'GEM-metrics diversity: distinct-n, unique-n, vocab_size-n, entropy-n (n=1..3), lengths, MSTTR; corpus-level only',
  optionsSchema: diversityOptions,
  async create({ dropPunctuation, windowSize }) {
    return {
      specificationVersion: 'v1',
      id: 'diversity',
      reference: 'GEM-metrics NGramStats + MSTTR (as RL4LMs/TRIL DiversityMetrics), NLTK word_tokenize, lower-cased',
      higherIsBetter: true,
      async doCompute({ items, perItem }) {
        const stats = items.length === 0 ? {} : diversityStats(items.map((item) => item.prediction), { dropPunctuation, windowSize: Math.round(windowSize) });
        // GEM's MSTTR is NaN on a corpus shorter than one window: left out with a warning, since a
        // NaN would poison every mean and plot downstream.
        const corpus = Object.fromEntries(Object.entries(stats).filter(([, value]) => Number.isFinite(value)));
        const leftOut = Object.keys(stats).filter((name) => !(name in corpus));
        const leftOutWarnings = leftOut.map((name) => ({ type: 'undefined-value', message: `${name} is undefined on this corpus (fewer tokens than one window): left out` }));
        const perItemWarning = perItem ? [{ type: 'per-item-unsupported', message: 'diversity is a corpus statistic; no per-item scores are returned' }] : [];
        return { corpus, warnings: [...leftOutWarnings, ...perItemWarning] };
      },
    };
  },
};

export const plugin = definePlugin({
  id: '@rlgf/metric-gem-diversity',
  version: '0.1.0',
  kind: 'metric',
  description: 'GEM diversity statistics',
  factories: [diversityFactory],
});
