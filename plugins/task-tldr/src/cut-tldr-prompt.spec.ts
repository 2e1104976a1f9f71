import { DatasetError, type TokenizerV1 } from '@rlgf/contracts';
import { leadingSpecialIds } from '@rlgf/core';
import { openHubDataset } from '@rlgf/datasets';
import { rejectionOf } from '@rlgf/testing';
import { gpt2Tokenizer, mirrorHub, storiesTokenizer } from './__fixtures__/policy-tokenizers';
import { cutTldrPrompt } from './cut-tldr-prompt';
import { splitTldrPrompt, wordStarts } from './tldr-prompt';

const short = 'SUBREDDIT: r/cooking\nTITLE: Burnt rice again\nPOST: I keep burning rice in my pot. What am I doing wrong?\nTL;DR:';

let stories: TokenizerV1;
let gpt2: TokenizerV1;
let posts: string[];
beforeAll(async () => {
  [stories, gpt2] = await Promise.all([storiesTokenizer(), gpt2Tokenizer()]);
  const dataset = await openHubDataset(mirrorHub, { repo: 'CarperAI/openai_summarize_tldr' });
  posts = (await dataset.readRows('test[:40]', { columns: ['prompt'] })).map((row) => String(row.prompt));
});

const count = (tokenizer: TokenizerV1, text: string) => tokenizer.encode(text, { addSpecialTokens: false }).length;

describe('splitTldrPrompt', () => {
  it('splits header, post and suffix so that they give the prompt back', () => {
    const parts = splitTldrPrompt(short);
    expect(parts).toEqual({ header: 'SUBREDDIT: r/cooking\nTITLE: Burnt rice again\nPOST: ', body: 'I keep burning rice in my pot. What am I doing wrong?', suffix: '\nTL;DR:' });
    for (const post of posts) {
      const { header, body, suffix } = splitTldrPrompt(post);
      expect(header + body + suffix).toBe(post);
      expect(suffix).toBe('\nTL;DR:');
    }
  });

  it('refuses a prompt of another layout', async () => {
    const error = await rejectionOf((async () => splitTldrPrompt('Summarize: the cat sat on the mat.'))());
    expect(DatasetError.isInstance(error)).toBe(true);
    expect(String(error)).toContain('SUBREDDIT');
  });

  it('finds the starts of words', () => {
    expect(wordStarts('  ab c\n\nde ')).toEqual([2, 5, 8]);
  });
});

describe.each([
  ['stories260K', () => stories, [1]],
  ['GPT-2', () => gpt2, []],
])('cutTldrPrompt with the %s tokenizer', (_, tokenizer, leading) => {
  it('keeps a prompt that fits as it is, after what the tokenizer puts first', () => {
    const cut = cutTldrPrompt(short, tokenizer(), 400);
    expect(cut.prompt).toBe(short);
    expect(cut.droppedCharacters).toBe(0);
    expect(cut.promptIds).toEqual(tokenizer().encode(short));
    expect(leadingSpecialIds(tokenizer())).toEqual(leading);
  });

  it('drops whole words from the start of long posts, keeping header and suffix, and as few as possible', () => {
    const max = 200;
    let cutCount = 0;
    for (const post of posts) {
      const cut = cutTldrPrompt(post, tokenizer(), max);
      const original = splitTldrPrompt(post);
      const kept = splitTldrPrompt(cut.prompt);
      expect(kept.header).toBe(original.header);
      expect(kept.suffix).toBe(original.suffix);
      expect(original.body.slice(cut.droppedCharacters)).toBe(kept.body);
      expect(cut.promptIds).toEqual(tokenizer().encode(cut.prompt));
      expect(cut.promptIds.length - leading.length).toBeLessThanOrEqual(max);
      if (cut.droppedCharacters === 0) continue;
      cutCount += 1;
      expect(/\s/.test(original.body[cut.droppedCharacters - 1]) && !/\s/.test(original.body[cut.droppedCharacters])).toBe(true);
      // One more word would not fit.
      const previousStart = Math.max(0, ...wordStarts(original.body).filter((start) => start < cut.droppedCharacters));
      expect(count(tokenizer(), original.header + original.body.slice(previousStart) + original.suffix)).toBeGreaterThan(max);
    }
    expect(cutCount).toBeGreaterThan(30);
  });

  it('refuses a budget smaller than the header and suffix, saying which option to raise', async () => {
    const error = await rejectionOf((async () => cutTldrPrompt(posts[0], tokenizer(), 8))());
    expect(DatasetError.isInstance(error)).toBe(true);
    expect(String(error)).toContain('maxPromptTokens 8');
  });
});
