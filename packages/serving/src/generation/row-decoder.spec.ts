import type { TokenizerV1 } from '@rlgf/contracts';
import { RowDecoder } from './row-decoder';
import type { GenerationRow } from './generation-row';

// A word-level tokenizer: id i is `words[i]`, decoded with a space before every word but the
// first, as SentencePiece drops the leading space of a text.
const words = ['<s>', '</s>', 'once', 'upon', 'a', 'time', 'END'];
const tokenizer: TokenizerV1 = {
  specificationVersion: 'v1',
  vocabSize: words.length,
  bosTokenId: 0,
  eosTokenId: 1,
  encode: (text) => [0, ...text.split(' ').filter(Boolean).map((word) => words.indexOf(word))],
  decode: (ids) =>
    ids
      .filter((id) => id > 1)
      .map((id) => words[id])
      .join(' '),
};

/** Logits that make `token` the greedy choice. */
const peakAt = (token: number) => Float32Array.from(words, (_, i) => (i === token ? 5 : 0));

const row = (settings: Partial<GenerationRow>): GenerationRow => ({
  promptIds: [0, 2],
  maxNewTokens: 5,
  decoding: { strategy: 'greedy' },
  seed: 0,
  stop: [],
  ...settings,
});

function decode(decoder: RowDecoder, tokens: readonly number[]): void {
  for (const token of tokens) if (!decoder.finished) decoder.next(peakAt(token));
}

describe('RowDecoder', () => {
  it('stops at EOS, keeps it in the ids and leaves it out of the text, which keeps its leading space', () => {
    const decoder = new RowDecoder(row({}), tokenizer, [1]);
    decode(decoder, [3, 1, 4]);
    expect(decoder.result()).toEqual({ ids: [3, 1], text: ' upon', finishReason: 'eos' });
  });

  it('stops at its budget', () => {
    const decoder = new RowDecoder(row({ maxNewTokens: 2 }), tokenizer, [1]);
    decode(decoder, [3, 4, 5]);
    expect(decoder.result()).toEqual({ ids: [3, 4], text: ' upon a', finishReason: 'length' });
  });

  it('stops as soon as a stop string appears, cutting the text before it', () => {
    const decoder = new RowDecoder(row({ stop: ['a ti', 'never'] }), tokenizer, [1]);
    decode(decoder, [3, 4, 5, 6]);
    expect(decoder.result()).toEqual({ ids: [3, 4, 5], text: ' upon ', finishReason: 'stop' });
  });

  it('before minNewTokens never picks EOS (the next best instead) and lets no stop string end it', () => {
    const decoder = new RowDecoder(row({ minNewTokens: 3, stop: ['upon'] }), tokenizer, [1]);
    // EOS is the most likely token at the first step; "upon" (a stop string) is picked second.
    const eosFirst = Float32Array.from(words, (_, i) => (i === 1 ? 9 : i === 4 ? 5 : 0));
    expect(decoder.next(eosFirst)).toBe(4);
    decode(decoder, [3, 5]);
    expect(decoder.finished).toBe(false);
    // After the minimum: a new "upon" stops it, cut before the new one only.
    decode(decoder, [3, 6]);
    expect(decoder.result()).toEqual({ ids: [4, 3, 5, 3], text: ' a upon time ', finishReason: 'stop' });
    const eos = new RowDecoder(row({ minNewTokens: 1 }), tokenizer, [1]);
    decode(eos, [1, 1]);
    expect(eos.result()).toEqual({ ids: [0, 1], text: '', finishReason: 'eos' });
  });

  it('picks the most likely token under greedy decoding, whatever the seed', () => {
    const a = new RowDecoder(row({ seed: 1 }), tokenizer, [1]);
    const b = new RowDecoder(row({ seed: 2 }), tokenizer, [1]);
    expect(a.next(peakAt(5))).toBe(5);
    expect(b.next(peakAt(5))).toBe(5);
  });

  it('samples from its own seeded stream: same seed, same draws; another seed, other draws', () => {
    const flat = new Float32Array(words.length);
    const draws = (seed: number) => {
      const decoder = new RowDecoder(row({ seed, maxNewTokens: 40, decoding: { strategy: 'sample' } }), tokenizer, []);
      return Array.from({ length: 40 }, () => decoder.next(flat));
    };
    expect(draws(5)).toEqual(draws(5));
    expect(draws(5)).not.toEqual(draws(6));
    expect(draws(2 ** 40 + 5)).not.toEqual(draws(5));
    expect(new Set(draws(5)).size).toBeGreaterThan(3);
  });
});
