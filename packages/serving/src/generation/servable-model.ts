import type { LanguageModelInfoV1, TokenizerV1 } from '@rlgf/contracts';
import type { CausalLmNetwork } from '@rlgf/models';

/** What serving needs of a loaded model (a `CausalLanguageModel` of `@rlgf/models` is one). */
export interface ServableModel {
  readonly info: LanguageModelInfoV1;
  readonly tokenizer: TokenizerV1;
  /** Decoder network driven step by step, one batched forward pass per token. */
  readonly network: CausalLmNetwork;
  readonly eosTokenIds: readonly number[];
  readonly padTokenId: number;
}
