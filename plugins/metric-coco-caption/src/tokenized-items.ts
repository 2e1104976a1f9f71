import { InvalidArgumentError, type MetricItemV1 } from '@rlgf/contracts';
import { choiceOption, cocoPtbTokenize, pythonSplit } from '@rlgf/text';

export type CocoTokenization = 'ptb' | 'none';
export const tokenizationOption = {
  tokenize: '"ptb" (default): pycocoevalcap\'s PTBTokenizer (Stanford PTB rules, lower-cased, punctuation dropped); "none": split on whitespace as given',
};

export function readTokenization(options: Readonly<Record<string, unknown>>): CocoTokenization {
  return choiceOption(options, 'tokenize', ['ptb', 'none'] as const, 'ptb');
}

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
