import { DatasetError, type TokenizerV1 } from '@rlgf/contracts';
import { leadingSpecialIds } from '@rlgf/core';
import { splitTldrPrompt, wordStarts } from './tldr-prompt';

/** A TL;DR prompt that fits the policy's prompt budget. */
export interface TldrPromptCut {
  /** Header + the end of the post (whole words) + `\nTL;DR:`. */
  readonly prompt: string;
  /** What the tokenizer puts first (Llama's BOS; nothing for GPT-2), then the prompt's tokens. */
  readonly promptIds: number[];
  /** Characters dropped from the start of the post (0 when the prompt fitted). */
  readonly droppedCharacters: number;
}

/**
 * The smallest index in (lo, hi] whose candidate fits, given that `lo` does not (or is -1) and
 * `hi` does: a gallop from `guess` to bracket it, then bisection. Token counts shrink as words
 * are dropped, so this finds the longest tail of the post that fits in a few encodings.
 */
function firstFitting(fits: (index: number) => boolean, lo: number, hi: number, guess: number): number {
  let low = lo;
  let high = hi;
  const probe = Math.min(Math.max(guess, low + 1), high);
  if (fits(probe)) {
    high = probe;
    for (let step = 1; high - step > low; step *= 2) {
      if (!fits(high - step)) {
        low = high - step;
        break;
      }
      high -= step;
    }
  } else {
    low = probe;
    for (let step = 1; low + step < high; step *= 2) {
      if (fits(low + step)) {
        high = low + step;
        break;
      }
      low += step;
    }
  }
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (fits(middle)) high = middle;
    else low = middle;
  }
  return high;
}

/**
 * Cuts a TL;DR prompt to at most `maxTokens` policy tokens (not counting what the tokenizer puts
 * first) by dropping whole words from the start of the post. The `SUBREDDIT`/`TITLE` header and
 * the `TL;DR:` suffix are always kept, so the policy still sees what the post is about and where
 * its summary begins. Every candidate is encoded whole, so the count is exact for any tokenizer.
 */
export function cutTldrPrompt(prompt: string, tokenizer: TokenizerV1, maxTokens: number): TldrPromptCut {
  const leading = leadingSpecialIds(tokenizer);
  const encode = (text: string) => tokenizer.encode(text, { addSpecialTokens: false });
  const whole = encode(prompt);
  if (whole.length <= maxTokens) return { prompt, promptIds: [...leading, ...whole], droppedCharacters: 0 };

  const { header, body, suffix } = splitTldrPrompt(prompt);
  // Candidate cuts: each word start after the first, then the empty post.
  const cuts = [...wordStarts(body).filter((start) => start > 0), body.length];
  const candidate = (index: number) => `${header}${body.slice(cuts[index])}${suffix}`;
  const encoded = new Map<number, number[]>();
  const fits = (index: number) => {
    const ids = encoded.get(index) ?? encode(candidate(index));
    encoded.set(index, ids);
    return ids.length <= maxTokens;
  };
  const last = cuts.length - 1;
  if (!fits(last)) {
    throw new DatasetError({
      message: `the header and TL;DR: suffix of a post alone take ${encoded.get(last)?.length} policy tokens, more than maxPromptTokens ${maxTokens} (title: ${JSON.stringify(header.slice(0, 120))})`,
      hint: 'raise the task option maxPromptTokens (the longest header of the 500 posts takes 169 stories260K tokens)',
    });
  }
  // Start where the average characters per token says the excess ends.
  const excessCharacters = ((whole.length - maxTokens) * prompt.length) / whole.length;
  const guess = cuts.findIndex((cut) => cut >= excessCharacters);
  const chosen = firstFitting(fits, -1, last, guess < 0 ? last : guess);
  return { prompt: candidate(chosen), promptIds: [...leading, ...(encoded.get(chosen) as number[])], droppedCharacters: cuts[chosen] };
}
