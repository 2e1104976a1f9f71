import type { TokenizerV1 } from '@rlgf/contracts';

/**
 * The text of `ids` as a continuation of `contextIds`: decoded together with the context, then
 * cut after the context's own text. Decoding a continuation alone would lose what depends on its
 * left context (SentencePiece drops a leading space at the start of a text).
 */
export function continuationText(tokenizer: TokenizerV1, contextIds: readonly number[], ids: readonly number[]): string {
  if (ids.length === 0) return '';
  const context = tokenizer.decode(contextIds);
  const whole = tokenizer.decode([...contextIds, ...ids]);
  return whole.startsWith(context) ? whole.slice(context.length) : tokenizer.decode(ids);
}

/**
 * Policy token ids of `text` written after the context (a text-level guide's output). The
 * context plus text is re-tokenized as one string, so tokens merge across the boundary as the
 * policy would have produced them; when that re-tokenization does not start with the context's
 * own ids (the context was cut mid-word, or merged with the text), the text is tokenized on its
 * own instead, keeping the context's tokens untouched.
 */
export function continuationIds(
  tokenizer: TokenizerV1,
  context: { readonly ids: readonly number[]; readonly text: string },
  text: string,
): number[] {
  if (text === '') return [];
  const addSpecialTokens = context.ids.length > 0 && context.ids[0] === tokenizer.bosTokenId;
  const whole = tokenizer.encode(context.text + text, { addSpecialTokens });
  const sharesContext = whole.length >= context.ids.length && context.ids.every((id, i) => whole[i] === id);
  return sharesContext ? whole.slice(context.ids.length) : tokenizer.encode(text, { addSpecialTokens: false });
}
