import { InvalidArgumentError, type ComponentFactoryV1 } from '@rlgf/contracts';
import { definePlugin } from '@rlgf/core';
import { mean } from '@rlgf/text';
import { z } from 'zod';
import { rougeScoreMulti, rougeTypes } from './rouge-score';

/** The options of the `rouge` metric; the core validates them and `rlgf plugins --options` shows them. */
export const rougeOptions = z.strictObject({
  useStemmer: z.boolean().default(true).describe('Porter-stem tokens longer than 3 characters (as TRIL/RL4LMs pass use_stemmer=True)'),
});

export const rougeFactory: ComponentFactoryV1<'metric', z.output<typeof rougeOptions>> = {
  specificationVersion: 'v1',
  kind: 'metric',
  id: 'rouge',
  description: 'rouge-score ROUGE-1/2/L/Lsum F-measures, best over references (score_multi), corpus = mean over items',
  optionsSchema: rougeOptions,
  async create({ useStemmer }) {
    return {
      specificationVersion: 'v1',
      id: 'rouge',
      reference: `rouge-score 0.1.2 RougeScorer(["rouge1","rouge2","rougeL","rougeLsum"], use_stemmer=${useStemmer}).score_multi, F-measure, mean over items`,
      higherIsBetter: true,
      async doCompute({ items, perItem }) {
        const scores = items.map((item, i) => {
          if (item.references.length === 0) {
            throw new InvalidArgumentError({ argument: `items[${i}].references`, value: item.references, expected: 'at least one reference for ROUGE' });
          }
          return rougeScoreMulti(item.references, item.prediction, { useStemmer });
        });
        const byType = Object.fromEntries(rougeTypes.map((type) => [type, scores.map((score) => score[type])]));
        const corpus = Object.fromEntries(rougeTypes.map((type) => [type, mean(byType[type])]));
        return perItem ? { corpus, perItem: byType, warnings: [] } : { corpus, warnings: [] };
      },
    };
  },
};

export const plugin = definePlugin({
  id: '@rlgf/metric-rouge-score',
  version: '0.1.0',
  kind: 'metric',
  description: 'Google rouge-score ROUGE',
  factories: [rougeFactory],
});
