import type { CausalLanguageModel, Critic } from '@rlgf/models';
import { createSequenceBatch } from '@rlgf/models';
import * as tf from '@tensorflow/tfjs-core';
import { generationColumns, type SequenceLayout } from './sequence-layout';

export interface ForwardScores {
  /** log π(token j), [rows][T]. */
  readonly logProbs: number[][];
  /** Entropy of π at the state before token j, [rows][T]. */
  readonly entropies: number[][];
}

function rowsOf(layout: SequenceLayout, start: number, end: number): SequenceLayout {
  return { ...layout, ids: layout.ids.slice(start, end), mask: layout.mask.slice(start, end) };
}

async function inChunks<T>(layout: SequenceLayout, chunkRows: number, read: (chunk: SequenceLayout) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let start = 0; start < layout.ids.length; start += chunkRows) out.push(...(await read(rowsOf(layout, start, start + chunkRows))));
  return out;
}

/** Log-probs and entropies of the generated tokens under `model`, without gradients. */
export function modelScores(model: CausalLanguageModel, layout: SequenceLayout, chunkRows: number): Promise<ForwardScores> {
  return inChunks(layout, chunkRows, async (chunk) => {
    const batch = createSequenceBatch(chunk.ids, chunk.mask);
    const { start, size } = generationColumns(chunk);
    const both = tf.tidy(() => {
      const scores = model.scoreSequences(batch);
      return tf.stack([tf.slice(scores.logProbs, [0, start], [-1, size]), tf.slice(scores.entropies, [0, start], [-1, size])]);
    });
    batch.dispose();
    const [logProbs, entropies] = (await both.array()) as number[][][];
    both.dispose();
    return logProbs.map((row, i) => ({ logProbs: row, entropies: entropies[i] }));
  }).then((rows) => ({ logProbs: rows.map((r) => r.logProbs), entropies: rows.map((r) => r.entropies) }));
}

/** Critic values V(s_j) before each generated token, without gradients. */
export function criticValues(critic: Critic, layout: SequenceLayout, chunkRows: number): Promise<number[][]> {
  return inChunks(layout, chunkRows, async (chunk) => {
    const batch = createSequenceBatch(chunk.ids, chunk.mask);
    const { start, size } = generationColumns(chunk);
    const values = tf.tidy(() => tf.slice(critic.values(batch), [0, start], [-1, size]));
    batch.dispose();
    const rows = (await values.array()) as number[][];
    values.dispose();
    return rows;
  });
}
