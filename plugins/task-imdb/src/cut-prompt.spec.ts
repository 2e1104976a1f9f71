import { DatasetError, type TokenizerV1 } from '@rlgf/contracts';
import { leadingSpecialIds } from '@rlgf/core';
import { rejectionOf } from '@rlgf/testing';
import { gpt2Tokenizer, storiesTokenizer } from './__fixtures__/policy-tokenizers';
import { cutPrompt } from './cut-prompt';

const review =
  "I rented this on a whim and was pleasantly surprised. The acting is uneven, but the lead carries every scene she is in, and the score " +
  'does a lot of heavy lifting in the quieter moments. The middle drags for twenty minutes or so.\n\nStill, the ending landed for me, ' +
  'and I would happily watch it again with friends who like slow, character-driven dramas.';

let stories: TokenizerV1;
let gpt2: TokenizerV1;
beforeAll(async () => {
  [stories, gpt2] = await Promise.all([storiesTokenizer(), gpt2Tokenizer()]);
});

describe('cutPrompt', () => {
  it('cuts after exactly the first 64 tokens of the whole review, BOS first for Llama', () => {
    const cut = cutPrompt(review, stories, 64);
    const full = stories.encode(review);
    expect(full[0]).toBe(1);
    expect(cut.promptIds).toEqual(full.slice(0, 65));
    expect(stories.decode(cut.promptIds)).toBe(cut.prompt);
    expect(cut.prompt + cut.reference).toBe(review);
    expect(cut.reference.length).toBeGreaterThan(0);
  });

  it('adds nothing before the tokens for GPT-2, which has no BOS', () => {
    const cut = cutPrompt(review, gpt2, 64);
    expect(leadingSpecialIds(gpt2)).toEqual([]);
    expect(cut.promptIds).toEqual(gpt2.encode(review).slice(0, 64));
    expect(cut.prompt + cut.reference).toBe(review);
    expect(cut.reference.startsWith(' ')).toBe(true);
  });

  it('ends the prompt before a character whose bytes the 64-token boundary would split', () => {
    // 61 tokens of "the", one for " café", then " 日" spans three byte tokens (62..64).
    const text = `${'the '.repeat(61)}café 日本語 ends here, and more words follow.`;
    const cut = cutPrompt(text, gpt2, 64);
    expect(cut.promptIds).toHaveLength(62);
    expect(cut.prompt.endsWith('café')).toBe(true);
    expect(cut.reference.startsWith(' 日本語')).toBe(true);
    expect(cut.prompt + cut.reference).toBe(text);
  });

  it('keeps a review of at most 64 tokens whole as the prompt, with an empty reference', () => {
    const cut = cutPrompt('Loved it.', stories, 64);
    expect(cut.prompt).toBe('Loved it.');
    expect(cut.reference).toBe('');
    expect(cut.promptIds).toEqual(stories.encode('Loved it.'));
  });

  it('refuses a tokenizer that does not give the text back (here: one that lower-cases), naming the problem', async () => {
    const uncased: TokenizerV1 = {
      specificationVersion: 'v1',
      vocabSize: gpt2.vocabSize,
      encode: (text, options) => gpt2.encode(text.toLowerCase(), options),
      decode: (ids, options) => gpt2.decode(ids, options),
    };
    const error = await rejectionOf((async () => cutPrompt(review, uncased, 64))());
    expect(DatasetError.isInstance(error)).toBe(true);
    expect(String(error)).toContain('does not decode its tokens back to the review text');
  });
});
