import { InvalidArgumentError, type ComponentFactoryV1, type MetricItemV1 } from '@rlgf/contracts';
import { definePlugin } from '@rlgf/core';
import { defaultWordNet, mean } from '@rlgf/text';
import { z } from 'zod';
import { conceptCoverage } from './coverage';

/** The `coverage` metric takes no options; the core refuses any it is given. */
export const coverageOptions = z.strictObject({});

function conceptsOf(item: MetricItemV1, index: number): string[] {
  const concepts = item.meta?.concepts;
  if (!Array.isArray(concepts) || !concepts.every((concept) => typeof concept === 'string')) {
    throw new InvalidArgumentError({
      argument: `items[${index}].meta.concepts`,
      value: concepts,
      expected: 'a list of concept strings',
      hint: 'coverage needs the CommonGen concepts of each item in meta.concepts (the CLI reads them from a "concepts" field)',
    });
  }
  return concepts;
}

export const coverageFactory: ComponentFactoryV1<'metric', z.output<typeof coverageOptions>> = {
  specificationVersion: 'v1',
  kind: 'metric',
  id: 'coverage',
  description: 'CommonGen concept coverage: share of meta.concepts found in the prediction after WordNet morphy lemmatization',
  optionsSchema: coverageOptions,
  async create() {
    const wordnet = defaultWordNet();
    return {
      specificationVersion: 'v1',
      id: 'coverage',
      reference: 'CommonGen concept coverage with NLTK word_tokenize and WordNet 3.0 morphy (in place of the original spaCy lemmatizer)',
      higherIsBetter: true,
      async doCompute({ items, perItem }) {
        const scores = items.map((item, i) => conceptCoverage(item.prediction, conceptsOf(item, i), wordnet));
        const corpus = { coverage: mean(scores) };
        return perItem ? { corpus, perItem: { coverage: scores }, warnings: [] } : { corpus, warnings: [] };
      },
    };
  },
};

export const plugin = definePlugin({
  id: '@rlgf/metric-commongen-coverage',
  version: '0.1.0',
  kind: 'metric',
  description: 'CommonGen concept coverage',
  factories: [coverageFactory],
});
