import type { ContinuationRow, TrainableLanguageModel } from '@rlgf/models';
import * as tf from '@tensorflow/tfjs-core';

export interface ForwardScores {
  /** log π(token j), [rows][T]. */
  readonly logProbs: number[][];
  /** Entropy of π at the state before token j, [rows][T]. */
  readonly entropies: number[][];
}

/** `read` over consecutive chunks of at most `chunkRows` rows, results in row order. */
export async function inChunks<T>(rows: readonly ContinuationRow[], chunkRows: number, read: (chunk: readonly ContinuationRow[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let start = 0; start < rows.length; start += chunkRows) out.push(...(await read(rows.slice(start, start + chunkRows))));
  return out;
}

/** Log-probs and entropies of the continuation tokens under `model`, without gradients. */
export async function modelScores(model: TrainableLanguageModel, rows: readonly ContinuationRow[], width: number, chunkRows: number): Promise<ForwardScores> {
  const scored = await inChunks(rows, chunkRows, async (chunk) => {
    const batch = model.continuationBatch(chunk, width);
    const both = tf.tidy(() => {
      const scores = model.scoreContinuations(batch);
      return tf.stack([scores.logProbs, scores.entropies]);
    });
    batch.dispose();
    const [logProbs, entropies] = (await both.array()) as number[][][];
    both.dispose();
    return logProbs.map((row, i) => ({ logProbs: row, entropies: entropies[i] }));
  });
  return { logProbs: scored.map((r) => r.logProbs), entropies: scored.map((r) => r.entropies) };
}
