import { InvalidArgumentError, type LanguageModelInfoV1, type LanguageModelV1, type TokenizerV1 } from '@rlgf/contracts';
import type { CausalLmNetwork } from '@rlgf/models';

/** What serving needs of a loaded model (a decoder-only `CausalLanguageModel` of `@rlgf/models`). */
export interface ServableModel {
  readonly info: LanguageModelInfoV1;
  readonly tokenizer: TokenizerV1;
  /** Decoder network driven step by step, one batched forward pass per token. */
  readonly network: CausalLmNetwork;
  readonly eosTokenIds: readonly number[];
  readonly padTokenId: number;
}

/**
 * The model as one serving can drive step by step (a decoder-only model exposing its network),
 * or an error naming what it is.
 */
export function asServableModel<Model extends LanguageModelV1>(model: Model): Model & ServableModel {
  const candidate = model as Model & Partial<ServableModel>;
  if (candidate.network === undefined || candidate.eosTokenIds === undefined || candidate.padTokenId === undefined || model.info.isEncoderDecoder) {
    throw new InvalidArgumentError({
      argument: 'model',
      value: model.info.modelType,
      expected: 'a decoder-only model (Llama, GPT-2) loaded by @rlgf/models',
      hint: 'serve encoder-decoder models with TGI or vLLM',
    });
  }
  return candidate as Model & ServableModel;
}
