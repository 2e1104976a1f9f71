import { InvalidArgumentError, type ComponentFactoryV1 } from '@rlgf/contracts';
import { definePlugin } from '@rlgf/core';
import { booleanOption, mean, unknownOptionWarnings } from '@rlgf/text';
import { rougeScoreMulti, rougeTypes } from './rouge-score';

const options = {
  useStemmer: 'Porter-stem tokens longer than 3 characters (default true, as TRIL/RL4LMs pass use_stemmer=True)',
};

export const rougeFactory: ComponentFactoryV1<'metric'> = {
  specificationVersion: 'v1',
  kind: 'metric',
  id: 'rouge',
  description: 'rouge-score ROUGE-1/2/L/Lsum F-measures, best over references (score_multi), corpus = mean over items',
  options,
  async create(settings) {
    const useStemmer = booleanOption(settings, 'useStemmer', true);
    const warnings = unknownOptionWarnings(settings, Object.keys(options));
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
        return perItem ? { corpus, perItem: byType, warnings } : { corpus, warnings };
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
