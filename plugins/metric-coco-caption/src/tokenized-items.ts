import { InvalidArgumentError, type MetricItemV1 } from '@rlgf/contracts';
import { cocoPtbTokenize, pythonSplit } from '@rlgf/text';
import { z } from 'zod';

/** The `tokenize` option every pycocoevalcap metric takes. */
export const tokenizationOptions = {
  tokenize: z
    .enum(['ptb', 'none'])
    .default('ptb')
    .describe('"ptb": pycocoevalcap\'s PTBTokenizer (Stanford PTB rules, lower-cased, punctuation dropped); "none": split on whitespace as given'),
};

/** The options of coco-bleu, cider-d and coco-rouge-l; the core validates them. */
export const cocoOptions = z.strictObject(tokenizationOptions);

export type CocoTokenization = z.output<typeof tokenizationOptions.tokenize>;

export interface TokenizedItems {
  readonly tests: string[][];
  readonly refs: string[][][];
}

/** Tokenizes predictions and references as pycocoevalcap's evaluation does before scoring. */
export function tokenizeItems(items: readonly MetricItemV1[], tokenization: CocoTokenization, metric: string): TokenizedItems {
  const tokenize = tokenization === 'ptb' ? cocoPtbTokenize : pythonSplit;
  items.forEach((item, i) => {
    if (item.references.length === 0) {
      throw new InvalidArgumentError({ argument: `items[${i}].references`, value: item.references, expected: `at least one reference for ${metric}` });
    }
  });
  return {
    tests: items.map((item) => tokenize(item.prediction)),
    refs: items.map((item) => item.references.map(tokenize)),
  };
}
