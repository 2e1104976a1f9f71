import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@rlgf/contracts';
import type { Seq2SeqNetwork } from '../model/seq2seq-network';
import type { ContinuationBatch, ContinuationRow, ContinuationScores } from './continuations';
import { tokenLogProbs } from './token-log-probs';

/** Rows scored per forward pass by {@link scoreSeq2SeqTokens}. */
const rowsPerPass = 8;

/**
 * An encoder-decoder's continuation batch: prompts right-padded for the encoder (with a mask),
 * and decoder inputs `[decoder_start] + tokens[:-1]`, so that decoder position j predicts
 * continuation token j. Continuations are right-padded; padding only follows the tokens that
 * count.
 */
export class Seq2SeqContinuationBatch implements ContinuationBatch {
  constructor(
    readonly rows: number,
    readonly width: number,
    /** Prompt ids, int32 [B, S]. */
    readonly encoderIds: tf.Tensor2D,
    /** 1 for prompt tokens, 0 for padding, float32 [B, S]. */
    readonly encoderMask: tf.Tensor2D,
    /** Decoder inputs, int32 [B, width]. */
    readonly decoderIds: tf.Tensor2D,
    /** Continuation tokens (padded), int32 [B, width]. */
    readonly targets: tf.Tensor2D,
  ) {}

  dispose(): void {
    tf.dispose([this.encoderIds, this.encoderMask, this.decoderIds, this.targets]);
  }
}

export function createSeq2SeqContinuationBatch(
  rows: readonly ContinuationRow[],
  width: number,
  settings: { readonly padTokenId: number; readonly decoderStartTokenId: number },
): Seq2SeqContinuationBatch {
  if (rows.length === 0 || !(width >= 1)) {
    throw new InvalidArgumentError({ argument: 'continuations', value: rows.length, expected: 'at least one row and a width >= 1' });
  }
  const promptWidth = Math.max(1, ...rows.map((row) => row.promptIds.length));
  const pad = (ids: readonly number[], length: number) => [...ids, ...new Array<number>(length - ids.length).fill(settings.padTokenId)];
  const encoderIds = rows.map((row) => pad(row.promptIds, promptWidth));
  const encoderMask = rows.map((row) => Array.from({ length: promptWidth }, (_, j) => (j < row.promptIds.length ? 1 : 0)));
  const targets = rows.map((row) => pad(row.tokens.slice(0, width), width));
  const decoderIds = targets.map((tokens) => [settings.decoderStartTokenId, ...tokens.slice(0, width - 1)]);
  const batch = rows.length;
  return new Seq2SeqContinuationBatch(
    batch,
    width,
    tf.tensor2d(encoderIds.flat(), [batch, promptWidth], 'int32'),
    tf.tensor2d(encoderMask.flat(), [batch, promptWidth], 'float32'),
    tf.tensor2d(decoderIds.flat(), [batch, width], 'int32'),
    tf.tensor2d(targets.flat(), [batch, width], 'int32'),
  );
}

/** Encoder, then decoder over the whole continuation: differentiable per-token scores [B, T(, H)]. */
export function scoreSeq2SeqContinuations(network: Seq2SeqNetwork, batch: ContinuationBatch): ContinuationScores {
  if (!(batch instanceof Seq2SeqContinuationBatch)) {
    throw new InvalidArgumentError({ argument: 'batch', expected: 'a continuation batch made by this model (continuationBatch)' });
  }
  const encoded = network.encode(batch.encoderIds, batch.encoderMask);
  const memory = network.crossAttentionMemory(encoded, batch.encoderMask);
  const { logits, hidden } = network.decode({ ids: batch.decoderIds, start: 0, memory });
  const { logProbs, entropies } = tokenLogProbs(logits, batch.targets);
  return { logProbs, entropies, hidden };
}

/** Log-probs of `targetIds[i]` given `promptIds[i]` (no gradients), a few rows per pass. */
export async function scoreSeq2SeqTokens(
  network: Seq2SeqNetwork,
  promptIds: readonly (readonly number[])[],
  targetIds: readonly (readonly number[])[],
  settings: { readonly padTokenId: number; readonly decoderStartTokenId: number },
): Promise<number[][]> {
  if (promptIds.length !== targetIds.length) {
    throw new InvalidArgumentError({ argument: 'targetIds', value: targetIds.length, expected: `one target per prompt (${promptIds.length})` });
  }
  promptIds.forEach((prompt, row) => {
    if (prompt.length === 0) throw new InvalidArgumentError({ argument: `promptIds[${row}]`, value: prompt, expected: 'a non-empty prompt' });
  });
  const scores: number[][] = [];
  for (let first = 0; first < promptIds.length; first += rowsPerPass) {
    const rows = promptIds.slice(first, first + rowsPerPass).map((prompt, i) => ({ promptIds: prompt, tokens: targetIds[first + i] }));
    const batch = createSeq2SeqContinuationBatch(rows, Math.max(1, ...rows.map((row) => row.tokens.length)), settings);
    const logProbs = tf.tidy(() => scoreSeq2SeqContinuations(network, batch).logProbs);
    batch.dispose();
    const values = (await logProbs.array()) as number[][];
    logProbs.dispose();
    rows.forEach((row, i) => scores.push(values[i].slice(0, row.tokens.length)));
  }
  return scores;
}
