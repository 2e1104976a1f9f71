import type { GenerateRequestV1, GenerateResultV1, TokenizerV1 } from '@rlgf/contracts';
import type * as tf from '@tensorflow/tfjs-core';
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
import { NetworkLanguageModel } from './network-language-model';

/**
 * A decoder-only language model on TensorFlow.js: the {@link LanguageModelV1} that plugins see
 * (generate, score) plus the training API (variables, differentiable forward passes, weights,
 * frozen copies) that the trainer uses.
 */
export class CausalLanguageModel extends NetworkLanguageModel<CausalLmNetwork> {
  constructor(
    net: CausalLmNetwork,
    tokenizer: TokenizerV1,
    private readonly architecture: ArchitectureModule,
    tokenizerFiles?: TokenizerFiles,
  ) {
    super(net, tokenizer, false, tokenizerFiles);
  }

  generate(request: GenerateRequestV1): Promise<GenerateResultV1> {
    return generate(this.live().net, request, { eosTokenIds: this.eosTokenIds, padTokenId: this.padTokenId });
  }

  scoreTokens(promptIds: readonly (readonly number[])[], targetIds: readonly (readonly number[])[]): Promise<number[][]> {
    return scoreTokens(this.live().net, promptIds, targetIds, this.padTokenId);
  }

  /** The trainable variables the hidden states depend on (an untied LM head is not): a critic trunk's. */
  get hiddenStateVariables(): readonly tf.Variable[] {
    const net = this.live().net;
    return net.trainable ? (net.hiddenStateVariables ?? net.variables) : [];
  }

  /** Differentiable forward pass (logits and final hidden states). */
  forward(inputs: ForwardInputs): ForwardOutputs {
    return this.live().net.forward(inputs);
  }

  /** Differentiable per-token log-probs, entropies, hidden states and logits of a batch. */
  scoreSequences(batch: SequenceBatch): SequenceScores {
    return scoreSequences(this.live().net, batch);
  }

  continuationBatch(rows: readonly ContinuationRow[], width: number): ContinuationBatch {
    return createDecoderContinuationBatch(rows, width, this.padTokenId);
  }

  scoreContinuations(batch: ContinuationBatch): ContinuationScores {
    return scoreDecoderContinuations(this.live().net, batch);
  }

  clone(options: { readonly trainable?: boolean } = {}): CausalLanguageModel {
    // Copied on the device (a LoRA view copies its adapter only and shares the frozen base).
    const net = this.live().net;
    return this.withNetwork(net.copy({ trainable: options.trainable ?? net.trainable }));
  }

  withNetwork(net: CausalLmNetwork): CausalLanguageModel {
    return new CausalLanguageModel(net, this.tokenizer, this.architecture, this.tokenizerFiles);
  }

  override frozenCopy(): CausalLanguageModel {
    return this.clone({ trainable: false });
  }
}
