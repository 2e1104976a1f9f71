import type * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@rlgf/contracts';
import type { GenerateRequestV1, GenerateResultV1, LanguageModelInfoV1, TokenizerV1 } from '@rlgf/contracts';
import type { ContinuationBatch, ContinuationRow, ContinuationScores } from '../scoring/continuations';
import type { TokenizerFiles } from '../tokenizers/tokenizer-files';
import type { WeightMap } from '../weights/weight-map';
import { eosTokenIds, padTokenId } from './generation-defaults';
import type { TrainableLanguageModel } from './trainable-language-model';

/** What every network (decoder-only or encoder-decoder) offers the model that owns it. */
export interface LanguageModelNetwork {
  readonly config: {
    readonly modelType: string;
    readonly vocabSize: number;
    readonly hiddenSize: number;
    readonly maxPositions: number;
    readonly eosTokenIds: readonly number[];
    readonly padTokenId?: number;
    readonly json: Readonly<Record<string, unknown>>;
  };
  readonly variables: readonly tf.Variable[];
  readonly trainable: boolean;
  readonly parameterCount: number;
  /** Host copy of the weights (read asynchronously: webgpu has no synchronous read). */
  toWeightMap(): Promise<WeightMap>;
  /** An independent network with the same weights, copied on the device. */
  copy(options: { readonly trainable: boolean }): LanguageModelNetwork;
  dispose(): void;
}

/**
 * The part of a trainable language model that does not depend on its family: description,
 * variables, special tokens, weights, copies and disposal. A family adds generation and scoring.
 */
export abstract class NetworkLanguageModel<Network extends LanguageModelNetwork> implements TrainableLanguageModel {
  readonly specificationVersion = 'v1';
  readonly info: LanguageModelInfoV1;
  private disposed = false;

  protected constructor(
    protected readonly net: Network,
    readonly tokenizer: TokenizerV1,
    isEncoderDecoder: boolean,
    /** The tokenizer as files (from the checkpoint), so that the model can be saved again. */
    readonly tokenizerFiles?: TokenizerFiles,
  ) {
    this.info = {
      modelType: net.config.modelType,
      vocabSize: net.config.vocabSize,
      maxPositions: net.config.maxPositions,
      isEncoderDecoder,
      parameterCount: net.parameterCount,
    };
  }

  abstract generate(request: GenerateRequestV1): Promise<GenerateResultV1>;
  abstract scoreTokens(promptIds: readonly (readonly number[])[], targetIds: readonly (readonly number[])[]): Promise<number[][]>;
  /** Device inputs to score continuations of prompts (see {@link scoreContinuations}). */
  abstract continuationBatch(rows: readonly ContinuationRow[], width: number): ContinuationBatch;
  /** Differentiable log-probs, entropies and hidden states of each continuation token, [B, T(, H)]. */
  abstract scoreContinuations(batch: ContinuationBatch): ContinuationScores;
  /** An independent copy with its own variables (a reference model, a guide, a critic trunk). */
  abstract clone(options?: { readonly trainable?: boolean }): NetworkLanguageModel<Network>;
  /** A model of this family (tokenizer, special tokens) over another network: a LoRA view of this one's base. */
  abstract withNetwork(net: Network): NetworkLanguageModel<Network>;

  /** The network; for callers that drive tensors themselves. */
  get network(): Network {
    return this.live().net;
  }

  /** `config.json` of this model, to save next to its weights. */
  get configJson(): Readonly<Record<string, unknown>> {
    return this.net.config.json;
  }

  /** The variables an optimizer updates (all of them; empty for a frozen copy). */
  get trainableVariables(): readonly tf.Variable[] {
    return this.live().net.trainable ? this.net.variables : [];
  }

  get trainable(): boolean {
    return this.net.trainable;
  }

  get eosTokenIds(): readonly number[] {
    return eosTokenIds(this.net.config, this.tokenizer);
  }

  get padTokenId(): number {
    return padTokenId(this.net.config, this.tokenizer);
  }

  /** Width of the hidden states a value head reads. */
  get hiddenSize(): number {
    return this.live().net.config.hiddenSize;
  }

  /** Host copy of the weights under Hugging Face names (for `writeCheckpoint`), all read concurrently. */
  async getWeights(): Promise<WeightMap> {
    return this.live().net.toWeightMap();
  }

  /** A copy whose variables are not trainable and never shared with this model. */
  frozenCopy(): NetworkLanguageModel<Network> {
    return this.clone({ trainable: false });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.net.dispose();
  }

  /** This model, or a clear error when it was disposed. */
  protected live(): this {
    if (this.disposed) {
      throw new InvalidArgumentError({ argument: 'model', value: this.info.modelType, expected: 'a model that has not been disposed', hint: 'load it again' });
    }
    return this;
  }
}
