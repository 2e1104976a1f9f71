import * as tf from '@tensorflow/tfjs-core';
import { AdamW, createSequenceBatch, generate, type CausalLanguageModel } from '@rlgf/models';

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

/** Tokens per second of a training step (forward, backward, AdamW) on `rows` x `length` tokens. */
export function trainingSpeed(model: CausalLanguageModel, rows: number, length: number, steps: number): number {
  const ids = Array.from({ length: rows }, (_, row) => Array.from({ length }, (_, j) => (row * 31 + j * 17 + 3) % model.info.vocabSize));
  const batch = createSequenceBatch(ids);
  const optimizer = new AdamW({ learningRate: 1e-4 });
  const variables = [...model.trainableVariables];
  const step = () => {
    const { value, grads } = tf.variableGrads(() => {
      const { logProbs, entropies } = model.scoreSequences(batch);
      return tf.neg(tf.add(tf.mean(logProbs), tf.mul(tf.mean(entropies), 0.01))) as tf.Scalar;
    }, variables);
    optimizer.applyGradients(variables, variables.map((variable) => grads[variable.name]));
    value.dataSync();
    tf.dispose([value, grads]);
  };
  step();
  const start = performance.now();
  for (let i = 0; i < steps; i++) step();
  const seconds = (performance.now() - start) / 1000;
  optimizer.dispose();
  batch.dispose();
  return (rows * length * steps) / seconds;
}
