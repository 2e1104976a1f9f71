import type * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@rlgf/contracts';
import type { GenerateRequestV1, GenerateResultV1, LanguageModelInfoV1, TokenizerV1 } from '@rlgf/contracts';
import type { ArchitectureModule, CausalLmNetwork, ForwardInputs, ForwardOutputs } from '../architectures/causal-lm';
import { generate } from '../generation/generate';
import { scoreSequences, type SequenceScores } from '../scoring/score-sequences';
import { scoreTokens } from '../scoring/score-tokens';
import type { SequenceBatch } from '../scoring/sequence-batch';
import {
  createDecoderContinuationBatch,
  scoreDecoderContinuations,
  type ContinuationBatch,
  type ContinuationRow,
  type ContinuationScores,
} from '../scoring/continuations';
import type { TokenizerFiles } from '../tokenizers/tokenizer-files';
import type { WeightMap } from '../weights/weight-map';
import { eosTokenIds, padTokenId } from './generation-defaults';
import type { TrainableLanguageModel } from './trainable-language-model';

/**
 * A decoder-only language model on TensorFlow.js: the {@link LanguageModelV1} that plugins see
 * (generate, score) plus the training API (variables, differentiable forward passes, weights,
 * frozen copies) that the trainer uses.
 */
export class CausalLanguageModel implements TrainableLanguageModel {
  readonly specificationVersion = 'v1';
  readonly info: LanguageModelInfoV1;
  private disposed = false;

  constructor(
    private readonly net: CausalLmNetwork,
    readonly tokenizer: TokenizerV1,
    private readonly architecture: ArchitectureModule,
    /** The tokenizer as files (from the checkpoint), so that the model can be saved again. */
    readonly tokenizerFiles?: TokenizerFiles,
  ) {
    this.info = {
      modelType: net.config.modelType,
      vocabSize: net.config.vocabSize,
      maxPositions: net.config.maxPositions,
      isEncoderDecoder: false,
      parameterCount: net.parameterCount,
    };
  }

  /** The network (forward pass, config); for callers that drive tensors themselves. */
  get network(): CausalLmNetwork {
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

  generate(request: GenerateRequestV1): Promise<GenerateResultV1> {
    return generate(this.live().net, request, { eosTokenIds: this.eosTokenIds, padTokenId: this.padTokenId });
  }

  scoreTokens(promptIds: readonly (readonly number[])[], targetIds: readonly (readonly number[])[]): Promise<number[][]> {
    return scoreTokens(this.live().net, promptIds, targetIds, this.padTokenId);
  }

  /** Differentiable forward pass (logits and final hidden states). */
  forward(inputs: ForwardInputs): ForwardOutputs {
    return this.live().net.forward(inputs);
  }

  /** Differentiable per-token log-probs, entropies, hidden states and logits of a batch. */
  scoreSequences(batch: SequenceBatch): SequenceScores {
    return scoreSequences(this.live().net, batch);
  }

  /** Width of the hidden states a value head reads. */
  get hiddenSize(): number {
    return this.live().net.config.hiddenSize;
  }

  /** Device inputs to score continuations of prompts (see {@link scoreContinuations}). */
  continuationBatch(rows: readonly ContinuationRow[], width: number): ContinuationBatch {
    return createDecoderContinuationBatch(rows, width, this.padTokenId);
  }

  /** Differentiable log-probs, entropies and hidden states of each continuation token, [B, T(, H)]. */
  scoreContinuations(batch: ContinuationBatch): ContinuationScores {
    return scoreDecoderContinuations(this.live().net, batch);
  }

  /** Host copy of the weights under Hugging Face names (for `writeCheckpoint`). */
  getWeights(): WeightMap {
    return this.live().net.toWeightMap();
  }

  /** An independent copy with its own variables (a reference model, a guide, a critic trunk). */
  clone(options: { readonly trainable?: boolean } = {}): CausalLanguageModel {
    const config = this.architecture.parseConfig(this.live().net.config.json);
    const network = this.architecture.build(config, this.net.toWeightMap(), { trainable: options.trainable ?? this.net.trainable });
    return new CausalLanguageModel(network, this.tokenizer, this.architecture, this.tokenizerFiles);
  }

  /** A copy whose variables are not trainable and never shared with this model. */
  frozenCopy(): CausalLanguageModel {
    return this.clone({ trainable: false });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.net.dispose();
  }

  private live(): this {
    if (this.disposed) {
      throw new InvalidArgumentError({ argument: 'model', value: this.info.modelType, expected: 'a model that has not been disposed', hint: 'load it again' });
    }
    return this;
  }
}
