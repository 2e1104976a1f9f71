import { InvalidArgumentError, type ComponentFactoryV1, type MetricItemV1 } from '@rlgf/contracts';
import { definePlugin } from '@rlgf/core';
import { booleanOption, unknownOptionWarnings } from '@rlgf/text';
import { corpusBleu, sentenceBleu } from './sacre-bleu';

const options = { lowercase: 'compare lower-cased text, as sacreBLEU -lc (default false)' };

/** Checks that every item has at least one non-empty reference, which BLEU needs. */
function requireReferences(items: readonly MetricItemV1[], metric: string): void {
  items.forEach((item, i) => {
    if (!item.references.some((ref) => ref !== '')) {
      throw new InvalidArgumentError({ argument: `items[${i}].references`, value: item.references, expected: `at least one non-empty reference for ${metric}` });
    }
  });
}

export const bleuFactory: ComponentFactoryV1<'metric'> = {
  specificationVersion: 'v1',
  kind: 'metric',
  id: 'bleu',
  description: 'sacreBLEU corpus BLEU (0-100; 13a tokenizer, exp smoothing, closest reference length); per item: sentence BLEU',
  options,
  async create(settings) {
    const lowercase = booleanOption(settings, 'lowercase', false);
    const warnings = unknownOptionWarnings(settings, Object.keys(options));
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
        if (!perItem) return { corpus, warnings };
        return { corpus, perItem: { bleu: items.map((item) => sentenceBleu(item.prediction, item.references, { lowercase })) }, warnings };
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
