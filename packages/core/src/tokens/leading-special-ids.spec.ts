import type { TokenizerV1 } from '@rlgf/contracts';
import { leadingSpecialIds } from './leading-special-ids';

/** A word-per-token tokenizer that adds `prefix` (and `suffix`) as special tokens. */
function tokenizer(prefix: number[], suffix: number[] = []): TokenizerV1 {
  const words = new Map<string, number>();
  const ids = (text: string) => text.split(' ').map((word) => words.get(word) ?? (words.set(word, 10 + words.size), 10 + words.size - 1));
  return {
    encode: (text: string, options?: { addSpecialTokens?: boolean }) => (options?.addSpecialTokens === false ? ids(text) : [...prefix, ...ids(text), ...suffix]),
  } as unknown as TokenizerV1;
}

describe('leadingSpecialIds', () => {
  it('finds what the post-processor puts before the text, and nothing when it adds nothing', () => {
    expect(leadingSpecialIds(tokenizer([1]))).toEqual([1]);
    expect(leadingSpecialIds(tokenizer([0, 5], [2]))).toEqual([0, 5]);
    expect(leadingSpecialIds(tokenizer([]))).toEqual([]);
  });
});
