import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@rlgf/contracts';
import type { CausalLmNetwork } from '../architectures/causal-lm';
import { scoreSequences } from './score-sequences';
import { createSequenceBatch, type SequenceBatch } from './sequence-batch';

/** A prompt and a continuation of it (generated or reference tokens), in the model's ids. */
export interface ContinuationRow {
  readonly promptIds: readonly number[];
  readonly tokens: readonly number[];
}

/**
 * Device inputs for scoring continuations of prompts, built outside any differentiated function.
 * Opaque to callers: each model family lays prompts and continuations out its own way (a
 * decoder-only model reads them as one sequence; an encoder-decoder reads the prompt with its
 * encoder). Per-token outputs are [rows, width], column j for continuation token j.
 */
export interface ContinuationBatch {
  readonly rows: number;
  readonly width: number;
  dispose(): void;
}

/** Differentiable per-token quantities of a {@link ContinuationBatch}, column j for token j. */
export interface ContinuationScores {
  /** log π(token j | prompt, tokens before j), [B, T]. */
  readonly logProbs: tf.Tensor2D;
  /** Entropy of π at the state before token j, [B, T]. */
  readonly entropies: tf.Tensor2D;
  /** Hidden state the model predicts token j from, [B, T, hidden] (input of a value head). */
  readonly hidden: tf.Tensor3D;
}

/** A decoder-only model's continuation batch: prompts left-padded, continuations right-padded. */
export class DecoderContinuationBatch implements ContinuationBatch {
  readonly rows: number;

  constructor(
    readonly sequences: SequenceBatch,
    /** The column predicting continuation token 0: the longest prompt minus one. */
    readonly start: number,
    readonly width: number,
  ) {
    this.rows = sequences.targets.shape[0];
  }

  dispose(): void {
    this.sequences.dispose();
  }
}

export function createDecoderContinuationBatch(rows: readonly ContinuationRow[], width: number, padTokenId: number): DecoderContinuationBatch {
  if (rows.length === 0 || !(width >= 1)) {
    throw new InvalidArgumentError({ argument: 'continuations', value: rows.length, expected: 'at least one row and a width >= 1' });
  }
  const promptWidth = Math.max(1, ...rows.map((row) => row.promptIds.length));
  const ids: number[][] = [];
  const mask: number[][] = [];
  for (const row of rows) {
    const left = promptWidth - row.promptIds.length;
    const tokens = row.tokens.slice(0, width);
    const right = width - tokens.length;
    ids.push([...new Array<number>(left).fill(padTokenId), ...row.promptIds, ...tokens, ...new Array<number>(right).fill(padTokenId)]);
    mask.push([...new Array<number>(left).fill(0), ...row.promptIds.map(() => 1), ...tokens.map(() => 1), ...new Array<number>(right).fill(0)]);
  }
  return new DecoderContinuationBatch(createSequenceBatch(ids, mask), promptWidth - 1, width);
}

/** One forward pass of a decoder-only network, cut to the continuation columns. */
export function scoreDecoderContinuations(network: CausalLmNetwork, batch: ContinuationBatch): ContinuationScores {
  if (!(batch instanceof DecoderContinuationBatch)) {
    throw new InvalidArgumentError({ argument: 'batch', expected: 'a continuation batch made by this model (continuationBatch)' });
  }
  const scores = scoreSequences(network, batch.sequences);
  const columns = (x: tf.Tensor2D) => tf.slice(x, [0, batch.start], [-1, batch.width]) as tf.Tensor2D;
  return {
    logProbs: columns(scores.logProbs),
    entropies: columns(scores.entropies),
    hidden: tf.slice(scores.hidden, [0, batch.start, 0], [-1, batch.width, -1]) as tf.Tensor3D,
  };
}
