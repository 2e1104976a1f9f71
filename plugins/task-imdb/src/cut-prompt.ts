import { DatasetError, type TokenizerV1 } from '@rlgf/contracts';
import { leadingSpecialIds } from '@rlgf/core';

/** A review cut at a policy-token boundary. `prompt + reference` is the review. */
export interface PromptCut {
  /** The text of the prompt tokens: a prefix of the review. */
  readonly prompt: string;
  /** What the tokenizer puts first (Llama's BOS; nothing for GPT-2), then the prompt tokens. */
  readonly promptIds: number[];
  /** The rest of the review, from the character after the prompt. */
  readonly reference: string;
}

/** Tokens encoded past the cut before the first `promptTokens` count as settled. */
const lookaheadTokens = 8;
/** A character split over byte tokens decodes to U+FFFD; it spans at most four tokens. */
const maxBytesPerCharacter = 4;

function whitespaceAtOrAfter(text: string, index: number): number {
  for (let i = index; i < text.length; i += 1) if (/\s/.test(text[i])) return i;
  return text.length;
}

/**
 * Tokens of the start of `review`, enough to hold `promptTokens` plus a lookahead. Only a prefix
 * ending before whitespace is encoded (tokenizing whole reviews costs ~2 ms each with a 512-token
 * vocabulary); for tokenizers whose tokens never span whitespace, as GPT-2's and SentencePiece's,
 * its first tokens are those of the whole review.
 */
function leadingTokens(review: string, tokenizer: TokenizerV1, promptTokens: number): number[] {
  for (let chars = promptTokens * 4; ; chars *= 2) {
    const end = whitespaceAtOrAfter(review, chars);
    const tokens = tokenizer.encode(review.slice(0, end), { addSpecialTokens: false });
    if (end === review.length || tokens.length >= promptTokens + lookaheadTokens) return tokens;
  }
}

/**
 * Cuts `review` after its first `promptTokens` policy tokens. The prompt text is the decoded
 * tokens and the reference the rest of the review text, so that together they give the review
 * back exactly. When the cut falls inside a character spread over byte tokens, the prompt ends
 * before that character (up to three tokens shorter). A review of at most `promptTokens` tokens
 * is all prompt, with an empty reference.
 */
export function cutPrompt(review: string, tokenizer: TokenizerV1, promptTokens: number): PromptCut {
  const tokens = leadingTokens(review, tokenizer, promptTokens);
  const count = Math.min(promptTokens, tokens.length);
  for (let k = count; k > 0 && k > count - maxBytesPerCharacter; k -= 1) {
    const prompt = tokenizer.decode(tokens.slice(0, k));
    if (review.startsWith(prompt)) {
      return { prompt, promptIds: [...leadingSpecialIds(tokenizer), ...tokens.slice(0, k)], reference: review.slice(prompt.length) };
    }
  }
  throw new DatasetError({
    message:
      count === 0
        ? 'an IMDB review has no tokens'
        : `the policy tokenizer does not decode its tokens back to the review text (${JSON.stringify(tokenizer.decode(tokens.slice(0, count)).slice(-40))} is not the start of ${JSON.stringify(review.slice(0, 80))}...)`,
    hint: 'IMDB prompts are cut in policy tokens, which needs a tokenizer whose decode(encode(text)) gives the text back (byte-level BPE or SentencePiece with byte fallback)',
  });
}
