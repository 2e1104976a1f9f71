import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { InvalidArgumentError, ModelFormatError } from '@rlgf/contracts';
import type { TokenizerV1 } from '@rlgf/contracts';
import { sharedHubMirror } from '@rlgf/testing';
import { openCheckpointSource } from '../checkpoint/checkpoint-source';
import { parseMergesTxt } from './byte-level-bpe-json';
import { createTokenizer } from './hf-tokenizer';
import { loadTokenizerFiles } from './load-tokenizer-files';

const dir = join(sharedHubMirror(), 'models/sshleifer/tiny-gpt2');
let tokenizer: TokenizerV1;
beforeAll(async () => {
  const files = await loadTokenizerFiles(await openCheckpointSource(dir));
  tokenizer = createTokenizer(files);
});

/**
 * GPT-2's encoder as OpenAI's encoder.py defines it, written independently of the library: split
 * with GPT-2's regex, map bytes to printable characters, then repeatedly merge every occurrence of
 * the lowest-ranked pair.
 */
let reference: { vocab: Record<string, number>; ranks: Map<string, number> } | undefined;
function referenceEncode(text: string): number[] {
  reference ??= {
    vocab: JSON.parse(readFileSync(join(dir, 'vocab.json'), 'utf8')) as Record<string, number>,
    ranks: new Map(
      readFileSync(join(dir, 'merges.txt'), 'utf8')
        .split('\n')
        .slice(1)
        .filter(Boolean)
        .map((line, rank) => [line, rank]),
    ),
  };
  const { vocab, ranks } = reference;
  const printable = [...range(33, 126), ...range(161, 172), ...range(174, 255)];
  const byteChar: string[] = [];
  let extra = 0;
  for (let byte = 0; byte < 256; byte += 1) {
    byteChar.push(String.fromCodePoint(printable.includes(byte) ? byte : 256 + extra++));
  }
  const pattern = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;
  const ids: number[] = [];
  for (const [index, segment] of text.split('<|endoftext|>').entries()) {
    if (index > 0) ids.push(vocab['<|endoftext|>']);
    for (const piece of segment.match(pattern) ?? []) {
      let word = [...Buffer.from(piece, 'utf8')].map((byte) => byteChar[byte]);
      for (;;) {
        let best = -1;
        let bestRank = Infinity;
        for (let i = 0; i + 1 < word.length; i += 1) {
          const rank = ranks.get(`${word[i]} ${word[i + 1]}`) ?? Infinity;
          if (rank < bestRank) [best, bestRank] = [i, rank];
        }
        if (best < 0) break;
        const [left, right] = [word[best], word[best + 1]];
        const merged: string[] = [];
        for (let i = 0; i < word.length; i += 1) {
          if (word[i] === left && word[i + 1] === right) {
            merged.push(left + right);
            i += 1;
          } else {
            merged.push(word[i]);
          }
        }
        word = merged;
      }
      ids.push(...word.map((token) => vocab[token]));
    }
  }
  return ids;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

describe('GPT-2 tokenizer from vocab.json + merges.txt', () => {
  it('gives the ids published for GPT-2', () => {
    expect(tokenizer.encode('Hello world')).toEqual([15496, 995]);
    // transformers' GPT-2 documentation example.
    expect(tokenizer.encode('Hello, my dog is cute')).toEqual([15496, 11, 616, 3290, 318, 13779]);
    expect(tokenizer.encode('\n')).toEqual([198]);
    expect(tokenizer.encode('\n\n')).toEqual([628]);
    expect(tokenizer.encode(' ')).toEqual([220]);
    expect(tokenizer.encode('<|endoftext|>')).toEqual([50256]);
    expect(tokenizer.encode('')).toEqual([]);
  });

  it('has GPT-2 special tokens: no BOS added, <|endoftext|> as BOS/EOS, pad falls back to EOS', () => {
    expect(tokenizer.vocabSize).toBe(50257);
    expect([tokenizer.bosTokenId, tokenizer.eosTokenId, tokenizer.padTokenId]).toEqual([50256, 50256, 50256]);
    expect(tokenizer.encode('Hi', { addSpecialTokens: true })).toEqual(tokenizer.encode('Hi', { addSpecialTokens: false }));
  });

  const tricky = [
    ' leading space',
    'trailing space ',
    'two  spaces and   three',
    'tab\tseparated\tvalues',
    'line\nbreak\n\nparagraph\r\nwindows',
    "it's don't I'm we've they're you'll he'd IT'S",
    'Ünïcödé café naïve 日本語のテキスト Ελληνικά',
    'emoji 😀 👍🏽 family 👨‍👩‍👧',
    'numbers 12345 3.14159 -42 1,000,000',
    'code: if (x != y) { return x[0]; } // done',
    'end of text<|endoftext|>next document',
    '   ',
  ];

  it.each(tricky)('encodes %j as GPT-2 does', (text) => {
    expect(tokenizer.encode(text)).toEqual(referenceEncode(text));
  });

  it.each(tricky)('decodes %j back to the same text', (text) => {
    expect(tokenizer.decode(tokenizer.encode(text), { skipSpecialTokens: false })).toBe(text);
  });

  it('drops special tokens when decoding unless told to keep them', () => {
    const ids = tokenizer.encode('a<|endoftext|>b');
    expect(tokenizer.decode(ids)).toBe('ab');
    expect(tokenizer.decode(ids, { skipSpecialTokens: false })).toBe('a<|endoftext|>b');
    expect(tokenizer.decode([])).toBe('');
  });

  it('refuses ids outside the vocabulary', () => {
    expect(() => tokenizer.decode([50257])).toThrow(InvalidArgumentError);
    expect(() => tokenizer.decode([1.5])).toThrow(/token id: got 1.5, expected an integer in \[0, 50257\)/);
  });

  it('refuses merges that do not fit the vocabulary, naming the line', () => {
    const vocab = new Map([
      ['a', 0],
      ['b', 1],
      ['ab', 2],
    ]);
    expect(parseMergesTxt('#version: 0.2\na b\n', vocab, 'merges.txt')).toEqual([['a', 'b']]);
    expect(() => parseMergesTxt('#version: 0.2\na b\nb a\n', vocab, 'merges.txt')).toThrow(ModelFormatError);
    expect(() => parseMergesTxt('a b c\n', vocab, 'merges.txt')).toThrow(/merges.txt: line 1/);
  });
});
