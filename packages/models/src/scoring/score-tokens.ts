import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@rlgf/contracts';
import type { CausalLmNetwork } from '../architectures/causal-lm';
import { createSequenceBatch } from './sequence-batch';
import { scoreSequences } from './score-sequences';

/** Rows scored per forward pass: bounds the [rows, length, vocab] logits held at once. */
const rowsPerPass = 8;

/**
 * Log-probs of `targetIds[i]` after `promptIds[i]` (no gradients): for the reference model's KL
 * and for perplexity. Rows are right-padded, which leaves every real position's attention
 * untouched, and scored a few rows per pass.
 */
export async function scoreTokens(
  network: CausalLmNetwork,
  promptIds: readonly (readonly number[])[],
  targetIds: readonly (readonly number[])[],
  padTokenId: number,
): Promise<number[][]> {
  if (promptIds.length !== targetIds.length) {
    throw new InvalidArgumentError({ argument: 'targetIds', value: targetIds.length, expected: `one target per prompt (${promptIds.length})` });
  }
  promptIds.forEach((prompt, row) => {
    if (prompt.length === 0) throw new InvalidArgumentError({ argument: `promptIds[${row}]`, value: prompt, expected: 'a non-empty prompt (start it with BOS)' });
    const total = prompt.length + targetIds[row].length;
    if (total > network.config.maxPositions) {
      throw new InvalidArgumentError({ argument: `targetIds[${row}]`, value: total, expected: `prompt + target within ${network.config.maxPositions} positions` });
    }
  });
  const scores: number[][] = [];
  for (let first = 0; first < promptIds.length; first += rowsPerPass) {
    const prompts = promptIds.slice(first, first + rowsPerPass);
    const targets = targetIds.slice(first, first + rowsPerPass);
    const length = Math.max(2, ...prompts.map((prompt, i) => prompt.length + targets[i].length));
    const ids = prompts.map((prompt, i) => [...prompt, ...targets[i], ...new Array<number>(length - prompt.length - targets[i].length).fill(padTokenId)]);
    const mask = prompts.map((prompt, i) => ids[i].map((_, j) => (j < prompt.length + targets[i].length ? 1 : 0)));
    const batch = createSequenceBatch(ids, mask);
    const logProbs = tf.tidy(() => scoreSequences(network, batch).logProbs);
    batch.dispose();
    const values = (await logProbs.array()) as number[][];
    logProbs.dispose();
    prompts.forEach((prompt, i) => scores.push(values[i].slice(prompt.length - 1, prompt.length - 1 + targets[i].length)));
  }
  return scores;
}
