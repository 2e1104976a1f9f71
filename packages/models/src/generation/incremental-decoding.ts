import type * as tf from '@tensorflow/tfjs-core';
import type { CausalLmConfig, CausalLmNetwork } from '../architectures/causal-lm';
import { DecodeSession, type DecodeSessionOptions } from './decode-session';

/**
 * Step-by-step decoding of a batch: `start()` returns the logits of each row's first new token,
 * `step(tokens)` appends one token per row and returns the next logits [B·V] (host memory);
 * `reorder(rows)` makes row i continue old row `rows[i]` (beam search).
 */
export interface IncrementalDecoding {
  start(): Promise<Float32Array>;
  step(tokens: readonly number[]): Promise<Float32Array>;
  reorder(rows: readonly number[]): void;
  dispose(): void;
  /** The same session with tokens and logits kept on the device, where the session supports it. */
  readonly onDevice?: DeviceDecoding;
}

/**
 * Decoding without host reads: `start()` and `step(tokens)` return the next-token logits as a
 * device tensor [B, V] that the caller disposes; `step` takes the chosen tokens as an int32 [B]
 * tensor (not disposed). Use either these or the host methods of a session, not both.
 */
export interface DeviceDecoding {
  start(): tf.Tensor2D;
  step(tokens: tf.Tensor1D): tf.Tensor2D;
}

/**
 * A model that opens its own decoding sessions (an encoder-decoder, which encodes the prompts
 * first). Decoder-only networks are decoded by {@link DecodeSession}.
 */
export interface IncrementalDecoder {
  /** The vocabulary and length limits that generation requests are checked against. */
  readonly config: Pick<CausalLmConfig, 'vocabSize' | 'maxPositions'>;
  openSession(prompts: readonly (readonly number[])[], maxNewTokens: number, options: DecodeSessionOptions): IncrementalDecoding;
}

/** What `generate` decodes: a decoder-only network or a model with its own sessions. */
export type GenerationSource = CausalLmNetwork | IncrementalDecoder;

export function openDecoding(source: GenerationSource, prompts: readonly (readonly number[])[], maxNewTokens: number, options: DecodeSessionOptions): IncrementalDecoding {
  return 'openSession' in source ? source.openSession(prompts, maxNewTokens, options) : new DecodeSession(source, prompts, maxNewTokens, options);
}
