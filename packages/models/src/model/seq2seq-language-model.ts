import type * as tf from '@tensorflow/tfjs-core';
import type { GenerateRequestV1, GenerateResultV1, TokenizerV1 } from '@rlgf/contracts';
import { generate } from '../generation/generate';
import type { IncrementalDecoder } from '../generation/incremental-decoding';
import type { ContinuationBatch, ContinuationRow, ContinuationScores } from '../scoring/continuations';
import { createSeq2SeqContinuationBatch, scoreSeq2SeqContinuations, scoreSeq2SeqTokens } from '../scoring/seq2seq-continuations';
import type { TokenizerFiles } from '../tokenizers/tokenizer-files';
import type { WeightMap } from '../weights/weight-map';
import { NetworkLanguageModel } from './network-language-model';
import { Seq2SeqDecodeSession } from './seq2seq-decode-session';
import type { Seq2SeqNetwork } from './seq2seq-network';

/** Builds a network of the same architecture and config from weights. */
export type Seq2SeqNetworkBuilder = (weights: WeightMap, options: { readonly trainable: boolean }) => Seq2SeqNetwork;

/**
 * An encoder-decoder language model (T5): prompts go to the encoder, generations come out of the
 * decoder, which starts at the decoder start token. It offers the same surface as the
 * decoder-only model (generation with every decoding and forced prefixes, scoring, continuation
 * scores with hidden states for a value head, weights, copies), so the trainers use it unchanged.
 */
export class Seq2SeqLanguageModel extends NetworkLanguageModel<Seq2SeqNetwork> {
  constructor(
    net: Seq2SeqNetwork,
    tokenizer: TokenizerV1,
    private readonly build: Seq2SeqNetworkBuilder,
    tokenizerFiles?: TokenizerFiles,
  ) {
    super(net, tokenizer, true, tokenizerFiles);
  }

  /** The variables the decoder hidden states depend on (all but an untied LM head). */
  get hiddenStateVariables(): readonly tf.Variable[] {
    return this.live().net.trainable ? this.net.hiddenStateVariables : [];
  }

  /** The decoder's first input of every continuation. */
  get decoderStartTokenId(): number {
    return this.net.config.decoderStartTokenId;
  }

  generate(request: GenerateRequestV1): Promise<GenerateResultV1> {
    const network = this.live().net;
    const decoder: IncrementalDecoder = {
      // Relative positions set no length limit; `n_positions` is only what T5's tokenizer truncates to.
      config: { vocabSize: network.config.vocabSize, maxPositions: Number.POSITIVE_INFINITY },
      openSession: (prompts, maxNewTokens, options) => new Seq2SeqDecodeSession(network, prompts, maxNewTokens, options),
    };
    return generate(decoder, request, { eosTokenIds: this.eosTokenIds, padTokenId: this.padTokenId });
  }

  scoreTokens(promptIds: readonly (readonly number[])[], targetIds: readonly (readonly number[])[]): Promise<number[][]> {
    return scoreSeq2SeqTokens(this.live().net, promptIds, targetIds, this.layout());
  }

  /** Device inputs to score continuations of prompts (see {@link scoreContinuations}). */
  continuationBatch(rows: readonly ContinuationRow[], width: number): ContinuationBatch {
    return createSeq2SeqContinuationBatch(rows, width, this.layout());
  }

  /** Differentiable log-probs, entropies and decoder hidden states of each continuation token, [B, T(, H)]. */
  scoreContinuations(batch: ContinuationBatch): ContinuationScores {
    return scoreSeq2SeqContinuations(this.live().net, batch);
  }

  clone(options: { readonly trainable?: boolean } = {}): Seq2SeqLanguageModel {
    // Copied on the device (a LoRA view copies its adapter only and shares the frozen base).
    const net = this.live().net;
    return this.withNetwork(net.copy({ trainable: options.trainable ?? net.trainable }));
  }

  withNetwork(net: Seq2SeqNetwork): Seq2SeqLanguageModel {
    return new Seq2SeqLanguageModel(net, this.tokenizer, this.build, this.tokenizerFiles);
  }

  override frozenCopy(): Seq2SeqLanguageModel {
    return this.clone({ trainable: false });
  }

  private layout(): { padTokenId: number; decoderStartTokenId: number } {
    return { padTokenId: this.padTokenId, decoderStartTokenId: this.decoderStartTokenId };
  }
}
