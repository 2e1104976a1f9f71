import type { TokenizerV1 } from '@rlgf/contracts';

const cache = new WeakMap<TokenizerV1, readonly number[]>();

/**
 * The ids a tokenizer's post-processor puts before a text's own tokens (BOS for Llama, nothing
 * for GPT-2): what a prompt assembled from token pieces must start with to match `encode`.
 */
export function leadingSpecialIds(tokenizer: TokenizerV1): readonly number[] {
  const cached = cache.get(tokenizer);
  if (cached) return cached;
  const probe = 'a text';
  const plain = tokenizer.encode(probe, { addSpecialTokens: false });
  const full = tokenizer.encode(probe, { addSpecialTokens: true });
  let leading: number[] = [];
  for (let offset = 0; offset + plain.length <= full.length; offset += 1) {
    if (plain.every((id, i) => full[offset + i] === id)) {
      leading = full.slice(0, offset);
      break;
    }
  }
  cache.set(tokenizer, leading);
  return leading;
}
