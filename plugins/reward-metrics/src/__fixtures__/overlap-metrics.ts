import type { ComponentFactoryV1, MetricItemV1, MetricV1 } from '@rlgf/contracts';
import { definePlugin } from '@rlgf/core';

const words = (text: string) => text.toLowerCase().split(/\s+/).filter(Boolean);

/**
 * Per item: `recall`, the share of the prediction's distinct words found in its references, and
 * `idf`, the sum over those words of log(items / items whose references hold the word): a small
 * real metric with corpus statistics, like CIDEr-D's document frequencies. Empty predictions get
 * NaN, as SPICE gives for sentences it cannot parse.
 */
export function overlapScores(items: readonly MetricItemV1[]): { recall: number[]; idf: number[] } {
  const referenceWords = items.map((item) => new Set(item.references.flatMap(words)));
  const frequency = new Map<string, number>();
  for (const set of referenceWords) for (const word of set) frequency.set(word, (frequency.get(word) ?? 0) + 1);
  const recall: number[] = [];
  const idf: number[] = [];
  items.forEach((item, i) => {
    const predicted = [...new Set(words(item.prediction))];
    const found = predicted.filter((word) => referenceWords[i].has(word));
    recall.push(predicted.length === 0 ? Number.NaN : found.length / predicted.length);
    idf.push(found.reduce((sum, word) => sum + Math.log(items.length / (frequency.get(word) ?? 1)), 0));
  });
  return { recall, idf };
}

const overlapFactory: ComponentFactoryV1<'metric'> = {
  specificationVersion: 'v1',
  kind: 'metric',
  id: 'overlap',
  description: 'word overlap with the references (test metric)',
  async create(): Promise<MetricV1> {
    return {
      specificationVersion: 'v1',
      id: 'overlap',
      reference: 'this test',
      higherIsBetter: true,
      async doCompute({ items, perItem }) {
        const scores = overlapScores(items);
        const corpus = { recall: scores.recall.reduce((a, b) => a + b, 0) / items.length, idf: scores.idf.reduce((a, b) => a + b, 0) / items.length };
        return perItem ? { corpus, perItem: scores, warnings: [] } : { corpus, warnings: [] };
      },
    };
  },
};

export const overlapMetricPlugin = definePlugin({ id: 'overlap-metrics', version: '0.0.0', kind: 'metric', description: 'test metrics', factories: [overlapFactory] });
