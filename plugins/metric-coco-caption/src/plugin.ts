import { join } from 'node:path';
import type { ComponentFactoryV1, MetricV1 } from '@rlgf/contracts';
import { definePlugin } from '@rlgf/core';
import { mean } from '@rlgf/text';
import { z } from 'zod';
import { cocoBleu } from './coco-bleu';
import { ciderD } from './cider-d';
import { cocoRougeL } from './coco-rouge-l';
import { requireSpiceJar, runSpice } from './spice';
import { cocoOptions, tokenizationOptions, tokenizeItems, type CocoTokenization, type TokenizedItems } from './tokenized-items';

const pycocoevalcap = 'pycocoevalcap 1.2 (tylin/coco-caption)';

/** A metric over pycocoevalcap-tokenized items: scores per item, corpus by `corpusOf`. */
function cocoMetric(
  id: string,
  reference: string,
  score: (tokens: TokenizedItems) => { corpus: Record<string, number>; perItem: Record<string, number[]> },
  tokenization: CocoTokenization,
): MetricV1 {
  return {
    specificationVersion: 'v1',
    id,
    reference,
    higherIsBetter: true,
    async doCompute({ items, perItem }) {
      const { corpus, perItem: scores } = score(tokenizeItems(items, tokenization, id));
      return perItem ? { corpus, perItem: scores, warnings: [] } : { corpus, warnings: [] };
    },
  };
}

export const cocoBleuFactory: ComponentFactoryV1<'metric', z.output<typeof cocoOptions>> = {
  specificationVersion: 'v1',
  kind: 'metric',
  id: 'coco-bleu',
  description: 'BLEU-1..4 as pycocoevalcap computes them (closest reference length, corpus statistics)',
  optionsSchema: cocoOptions,
  async create({ tokenize: tokenization }) {
    return cocoMetric('coco-bleu', `${pycocoevalcap} Bleu(4), option "closest"`, ({ tests, refs }) => {
      const result = cocoBleu(tests, refs);
      const names = ['bleu-1', 'bleu-2', 'bleu-3', 'bleu-4'];
      return {
        corpus: Object.fromEntries(names.map((name, k) => [name, result.corpus[k]])),
        perItem: Object.fromEntries(names.map((name, k) => [name, [...result.perItem[k]]])),
      };
    }, tokenization);
  },
};

export const ciderFactory: ComponentFactoryV1<'metric', z.output<typeof cocoOptions>> = {
  specificationVersion: 'v1',
  kind: 'metric',
  id: 'cider-d',
  description: 'CIDEr-D as pycocoevalcap computes it (sigma 6, clipping, length penalty, x10, IDF over this corpus\' references)',
  optionsSchema: cocoOptions,
  async create({ tokenize: tokenization }) {
    return cocoMetric('cider-d', `${pycocoevalcap} Cider (CIDEr-D)`, ({ tests, refs }) => {
      const scores = ciderD(tests, refs);
      return { corpus: { 'cider-d': mean(scores) }, perItem: { 'cider-d': scores } };
    }, tokenization);
  },
};

export const rougeFactory: ComponentFactoryV1<'metric', z.output<typeof cocoOptions>> = {
  specificationVersion: 'v1',
  kind: 'metric',
  id: 'coco-rouge-l',
  description: 'ROUGE-L as pycocoevalcap computes it (beta 1.2, best precision and recall over references)',
  optionsSchema: cocoOptions,
  async create({ tokenize: tokenization }) {
    return cocoMetric('coco-rouge-l', `${pycocoevalcap} Rouge`, ({ tests, refs }) => {
      // pycocoevalcap splits the joined caption on " ", so an empty caption is one empty token.
      const asSplit = (tokens: string[]) => (tokens.length === 0 ? [''] : tokens);
      const scores = tests.map((test, i) => cocoRougeL(asSplit(test), refs[i].map(asSplit)));
      return { corpus: { 'rouge-l': mean(scores) }, perItem: { 'rouge-l': scores } };
    }, tokenization);
  },
};

/** The options of the `spice` metric; the core validates them and `rlgf plugins --options` shows them. */
export const spiceOptions = z.strictObject({
  jarPath: z.string().optional().describe('path of spice-1.0.jar (default: env SPICE_JAR); required'),
  javaPath: z.string().default('java').describe('java executable'),
  maxMemory: z.string().default('8G').describe('Java heap for SPICE (as pycocoevalcap)'),
  ...tokenizationOptions,
});

export const spiceFactory: ComponentFactoryV1<'metric', z.output<typeof spiceOptions>> = {
  specificationVersion: 'v1',
  kind: 'metric',
  id: 'spice',
  description: 'SPICE F-score through the official spice-1.0.jar (needs Java and the jar)',
  optionsSchema: spiceOptions,
  async create(options, context) {
    const jarPath = requireSpiceJar(options.jarPath ?? process.env.SPICE_JAR);
    const tokenization = options.tokenize;
    const settings = { jarPath, javaPath: options.javaPath, maxMemory: options.maxMemory, cacheDir: join(context.cacheDir, 'spice') };
    return {
      specificationVersion: 'v1',
      id: 'spice',
      reference: 'SPICE 1.0 jar as pycocoevalcap Spice calls it (-subset -silent)',
      higherIsBetter: true,
      async doCompute({ items, perItem }) {
        const { tests, refs } = tokenizeItems(items, tokenization, 'spice');
        const entries = tests.map((test, i) => ({ image_id: String(i), test: test.join(' '), refs: refs[i].map((ref) => ref.join(' ')) }));
        const scores = await runSpice(entries, settings);
        const corpus = { spice: mean(scores.filter((score) => !Number.isNaN(score))) };
        return perItem ? { corpus, perItem: { spice: scores }, warnings: [] } : { corpus, warnings: [] };
      },
    };
  },
};

export const plugin = definePlugin({
  id: '@rlgf/metric-coco-caption',
  version: '0.1.0',
  kind: 'metric',
  description: 'pycocoevalcap caption metrics: BLEU-1..4, CIDEr-D, ROUGE-L, SPICE',
  factories: [cocoBleuFactory, ciderFactory, rougeFactory, spiceFactory],
});
