import { InvalidArgumentError, type ComponentFactoryV1 } from '@rlgf/contracts';
import { definePlugin } from '@rlgf/core';
import { defaultWordNet, mean, wordTokenize } from '@rlgf/text';
import { z } from 'zod';
import { meteorScore } from './meteor';

/** The options of the `meteor` metric (NLTK's parameters); the core validates them and `rlgf plugins --options` shows them. */
export const meteorOptions = z.strictObject({
  alpha: z.number().min(0).max(1).default(0.9).describe('weight of precision vs recall'),
  beta: z.number().min(0).default(3).describe('shape of the fragmentation penalty'),
  gamma: z.number().min(0).max(1).default(0.5).describe('weight of the fragmentation penalty'),
});

export const meteorFactory: ComponentFactoryV1<'metric', z.output<typeof meteorOptions>> = {
  specificationVersion: 'v1',
  kind: 'metric',
  id: 'meteor',
  description: 'NLTK 3.8 METEOR (exact, Porter stem, WordNet 3.0 synonyms), max over references, mean over items',
  optionsSchema: meteorOptions,
  async create({ alpha, beta, gamma }) {
    const parameters = { alpha, beta, gamma };
    const wordnet = defaultWordNet();
    return {
      specificationVersion: 'v1',
      id: 'meteor',
      reference: 'HF evaluate "meteor" on NLTK 3.8: mean of nltk.translate.meteor_score.meteor_score([word_tokenize(r) for r in refs], word_tokenize(pred)) with WordNet 3.0',
      higherIsBetter: true,
      async doCompute({ items, perItem }) {
        const scores = items.map((item, i) => {
          if (item.references.length === 0) {
            throw new InvalidArgumentError({ argument: `items[${i}].references`, value: item.references, expected: 'at least one reference for METEOR' });
          }
          return meteorScore(item.references.map(wordTokenize), wordTokenize(item.prediction), wordnet, parameters);
        });
        const corpus = { meteor: mean(scores) };
        return perItem ? { corpus, perItem: { meteor: scores }, warnings: [] } : { corpus, warnings: [] };
      },
    };
  },
};

export const plugin = definePlugin({
  id: '@rlgf/metric-nltk-meteor',
  version: '0.1.0',
  kind: 'metric',
  description: 'NLTK METEOR',
  factories: [meteorFactory],
});
