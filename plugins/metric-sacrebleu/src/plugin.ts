import { InvalidArgumentError, type ComponentFactoryV1, type MetricItemV1 } from '@rlgf/contracts';
import { definePlugin } from '@rlgf/core';
import { z } from 'zod';
import { corpusBleu, sentenceBleu } from './sacre-bleu';

/** The options of the `bleu` metric; the core validates them and `rlgf plugins --options` shows them. */
export const bleuOptions = z.strictObject({
  lowercase: z.boolean().default(false).describe('compare lower-cased text, as sacreBLEU -lc'),
});

/** Checks that every item has at least one non-empty reference, which BLEU needs. */
function requireReferences(items: readonly MetricItemV1[], metric: string): void {
  items.forEach((item, i) => {
    if (!item.references.some((ref) => ref !== '')) {
      throw new InvalidArgumentError({ argument: `items[${i}].references`, value: item.references, expected: `at least one non-empty reference for ${metric}` });
    }
  });
}

export const bleuFactory: ComponentFactoryV1<'metric', z.output<typeof bleuOptions>> = {
  specificationVersion: 'v1',
  kind: 'metric',
  id: 'bleu',
  description: 'sacreBLEU corpus BLEU (0-100; 13a tokenizer, exp smoothing, closest reference length); per item: sentence BLEU',
  optionsSchema: bleuOptions,
  async create({ lowercase }) {
    return {
      specificationVersion: 'v1',
      id: 'bleu',
      reference: 'sacreBLEU 2.x corpus_bleu / sentence_bleu (tokenize=13a, smooth_method=exp, lowercase=false)',
      higherIsBetter: true,
      async doCompute({ items, perItem }) {
        requireReferences(items, 'BLEU');
        const predictions = items.map((item) => item.prediction);
        const references = items.map((item) => item.references);
        const corpus = { bleu: corpusBleu(predictions, references, { lowercase }) };
        if (!perItem) return { corpus, warnings: [] };
        return { corpus, perItem: { bleu: items.map((item) => sentenceBleu(item.prediction, item.references, { lowercase })) }, warnings: [] };
      },
    };
  },
};

export const plugin = definePlugin({
  id: '@rlgf/metric-sacrebleu',
  version: '0.1.0',
  kind: 'metric',
  description: 'sacreBLEU BLEU',
  factories: [bleuFactory],
});
