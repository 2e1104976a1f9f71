import type { TokenizerV1 } from '@rlgf/contracts';
import type { CausalLmConfig } from '../architectures/causal-lm';

/** EOS ids of a model: the tokenizer's and every id `config.json` lists. */
export function eosTokenIds(config: Pick<CausalLmConfig, 'eosTokenIds'>, tokenizer: TokenizerV1): number[] {
  const ids = new Set(config.eosTokenIds);
  if (tokenizer.eosTokenId !== undefined) ids.add(tokenizer.eosTokenId);
  return [...ids];
}

/** The id that fills padding: the tokenizer's pad, the config's pad, EOS, else 0. */
export function padTokenId(config: Pick<CausalLmConfig, 'eosTokenIds' | 'padTokenId'>, tokenizer: TokenizerV1): number {
  return tokenizer.padTokenId ?? config.padTokenId ?? eosTokenIds(config, tokenizer)[0] ?? 0;
}
