import type { LanguageModelV1 } from '@rlgf/contracts';
import type * as tf from '@tensorflow/tfjs-core';
import type { ContinuationBatch, ContinuationRow, ContinuationScores } from '../scoring/continuations';
import type { TokenizerFiles } from '../tokenizers/tokenizer-files';
import type { WeightMap } from '../weights/weight-map';

/**
 * What training needs of a language model, whatever its family (decoder-only or
 * encoder-decoder): the plugin-facing {@link LanguageModelV1} plus variables, differentiable
 * continuation scores, weights and independent copies. The trainer, critics and SFT use only
 * this, so a new family trains unchanged.
 */
export interface TrainableLanguageModel extends LanguageModelV1 {
  readonly trainableVariables: readonly tf.Variable[];
  /**
   * The trainable variables the hidden states depend on, when that is fewer than all of them (an
   * untied LM head is not): what a critic's separate trunk trains. Default: `trainableVariables`.
   */
  readonly hiddenStateVariables?: readonly tf.Variable[];
  readonly trainable: boolean;
  readonly padTokenId: number;
  readonly eosTokenIds: readonly number[];
  /** Width of the hidden states a value head reads. */
  readonly hiddenSize: number;
  /** `config.json` to save with the weights. */
  readonly configJson: Readonly<Record<string, unknown>>;
  /** The tokenizer as files, to save with the weights. */
  readonly tokenizerFiles?: TokenizerFiles;
  continuationBatch(rows: readonly ContinuationRow[], width: number): ContinuationBatch;
  scoreContinuations(batch: ContinuationBatch): ContinuationScores;
  /** Host copy of the weights under Hugging Face names (asynchronous: webgpu has no synchronous read). */
  getWeights(): Promise<WeightMap>;
  /** An independent copy with its own variables (copied on the device, synchronously). */
  clone(options?: { readonly trainable?: boolean }): TrainableLanguageModel;
  /** A copy whose variables are not trainable and never shared with this model. */
  frozenCopy(): TrainableLanguageModel;
}
