import { InvalidArgumentError, type ComponentFactoryV1 } from '@rlgf/contracts';
import { definePlugin } from '@rlgf/core';
import { defaultWordNet, mean, numberOption, unknownOptionWarnings, wordTokenize } from '@rlgf/text';
import { meteorScore } from './meteor';

const options = {
  alpha: 'weight of precision vs recall (default 0.9)',
  beta: 'shape of the fragmentation penalty (default 3)',
  gamma: 'weight of the fragmentation penalty (default 0.5)',
};

export const meteorFactory: ComponentFactoryV1<'metric'> = {
  specificationVersion: 'v1',
  kind: 'metric',
  id: 'meteor',
  description: 'NLTK 3.8 METEOR (exact, Porter stem, WordNet 3.0 synonyms), max over references, mean over items',
  options,
  async create(settings) {
    const parameters = {
      alpha: numberOption(settings, 'alpha', 0.9, { min: 0, max: 1 }),
      beta: numberOption(settings, 'beta', 3, { min: 0 }),
      gamma: numberOption(settings, 'gamma', 0.5, { min: 0, max: 1 }),
    };
    const warnings = unknownOptionWarnings(settings, Object.keys(options));
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
        return perItem ? { corpus, perItem: { meteor: scores }, warnings } : { corpus, warnings };
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
