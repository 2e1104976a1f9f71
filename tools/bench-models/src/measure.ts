import * as tf from '@tensorflow/tfjs-core';
import { AdamW, GradientAccumulator, createSequenceBatch, generate, type CausalLanguageModel } from '@rlgf/models';

/** Tokens per second of greedy generation of `newTokens` after `promptTokens`, `batch` rows. */
export async function generationSpeed(model: CausalLanguageModel, batch: number, promptTokens: number, newTokens: number, useCache: boolean): Promise<number> {
  const promptIds = Array.from({ length: batch }, (_, row) => Array.from({ length: promptTokens }, (_, j) => (row * 7 + j * 13 + 1) % model.info.vocabSize));
  const request = { promptIds, maxNewTokens: newTokens, decoding: { strategy: 'greedy' as const }, stopAtEos: false };
  const settings = { eosTokenIds: model.eosTokenIds, padTokenId: model.padTokenId, useCache };
  // A short warm-up run first (wasm grows its heap on the first large allocations).
  await generate(model.network, { ...request, maxNewTokens: 2 }, settings);
  const start = performance.now();
  await generate(model.network, request, settings);
  return (batch * newTokens) / ((performance.now() - start) / 1000);
}

/**
 * Tokens per second of a training step (forward, backward, AdamW) on `rows` x `length` tokens,
 * with gradients accumulated over micro-batches of `microRows` rows (memory: the wasm heap ends at
 * 4 GB, which a 50k-vocabulary model reaches on 16 x 112 tokens at once).
 */
export function trainingSpeed(model: CausalLanguageModel, rows: number, length: number, steps: number, microRows = rows): number {
  const ids = Array.from({ length: rows }, (_, row) => Array.from({ length }, (_, j) => (row * 31 + j * 17 + 3) % model.info.vocabSize));
  const batches = Array.from({ length: Math.ceil(rows / microRows) }, (_, i) => createSequenceBatch(ids.slice(i * microRows, (i + 1) * microRows)));
  const optimizer = new AdamW({ learningRate: 1e-4 });
  const variables = [...model.trainableVariables];
  const accumulator = new GradientAccumulator(variables);
  const step = () => {
    accumulator.reset();
    for (const batch of batches) {
      const { value, grads } = tf.variableGrads(() => {
        const { logProbs, entropies } = model.scoreSequences(batch);
        const masked = (x: tf.Tensor) => tf.div(tf.sum(tf.mul(x, batch.targetMask)), rows * (length - 1));
        return tf.neg(tf.add(masked(logProbs), tf.mul(masked(entropies), 0.01))) as tf.Scalar;
      }, variables);
      value.dispose();
      accumulator.add(grads);
    }
    optimizer.applyGradients(variables, accumulator.gradients());
  };
  step();
  const start = performance.now();
  for (let i = 0; i < steps; i++) step();
  tf.tidy(() => variables[0].dataSync());
  const seconds = (performance.now() - start) / 1000;
  optimizer.dispose();
  accumulator.dispose();
  for (const batch of batches) batch.dispose();
  return (rows * length * steps) / seconds;
}
