import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@rlgf/core';
import { AdamW } from '@rlgf/models';
import type { RewardModel } from '../model/reward-model';
import { bradleyTerryLoss } from './bradley-terry';
import type { PairTexts } from './preference-pairs';

export interface FitSettings {
  readonly epochs: number;
  /** Pairs per optimizer step (each step scores 2 × batchSize texts). */
  readonly batchSize: number;
  /** Peak learning rate, decayed linearly to 0 over all steps. */
  readonly learningRate: number;
  readonly weightDecay: number;
  /** Clip the global gradient norm to this (0: no clipping). */
  readonly maxGradNorm: number;
  /** Seed of the pair order of each epoch. */
  readonly seed: number;
}

export interface FitHooks {
  readonly onStep?: (done: number, total: number, loss: number) => void;
  /** After each epoch (1-based), e.g. to measure held-out accuracy. */
  readonly onEpoch?: (epoch: number) => Promise<void>;
  readonly abortSignal?: AbortSignal;
}

/**
 * Scales `gradients` so that their global norm is at most `maxNorm`; returns the norm before.
 * Reads the norm asynchronously: webgpu has no synchronous read of a tensor on the device.
 */
async function clipGlobalNorm(gradients: tf.Tensor[], maxNorm: number): Promise<{ clipped: tf.Tensor[]; norm: number }> {
  const squares = tf.tidy(() => tf.addN(gradients.map((g) => tf.sum(tf.square(g)))));
  const norm = Math.sqrt((await squares.data())[0]);
  squares.dispose();
  if (maxNorm <= 0 || norm <= maxNorm) return { clipped: gradients, norm };
  const scale = maxNorm / (norm + 1e-6);
  return { clipped: gradients.map((g) => tf.mul(g, scale)), norm };
}

/** One Bradley-Terry step on a batch of pairs; returns the loss before the update. */
async function step(model: RewardModel, optimizer: AdamW, pairs: readonly { chosen: number[]; rejected: number[] }[], learningRate: number, maxGradNorm: number): Promise<number> {
  const rows = model.pad([...pairs.map((pair) => pair.chosen), ...pairs.map((pair) => pair.rejected)]);
  const variables = model.variables;
  const { value, grads } = tf.variableGrads(() => {
    const rewards = model.rewards(rows);
    const chosen = tf.slice(rewards, [0], [pairs.length]);
    const rejected = tf.slice(rewards, [pairs.length], [pairs.length]);
    return bradleyTerryLoss(chosen, rejected);
  }, variables);
  const updated = variables.filter((variable) => grads[variable.name] !== undefined);
  const gradients = updated.map((variable) => grads[variable.name]);
  const { clipped } = await clipGlobalNorm(gradients, maxGradNorm);
  optimizer.applyGradients(updated, clipped, learningRate);
  const loss = (await value.data())[0];
  tf.dispose([value, ...Object.values(grads), ...clipped.filter((g) => !gradients.includes(g))]);
  return loss;
}

/**
 * Trains a reward model on preference pairs with the Bradley-Terry loss and AdamW: seeded pair
 * order per epoch, linear learning-rate decay, global-norm clipping. Texts are tokenized once.
 */
export async function fitRewardModel(model: RewardModel, pairs: readonly PairTexts[], settings: FitSettings, hooks: FitHooks = {}): Promise<{ readonly steps: number; readonly lastLoss: number }> {
  const encoded = pairs.map((pair) => ({ chosen: model.encode(pair.chosen), rejected: model.encode(pair.rejected) }));
  const optimizer = new AdamW({ learningRate: settings.learningRate, weightDecay: settings.weightDecay });
  const stepsPerEpoch = Math.ceil(encoded.length / settings.batchSize);
  const total = stepsPerEpoch * settings.epochs;
  let done = 0;
  let lastLoss = Number.NaN;
  try {
    for (let epoch = 0; epoch < settings.epochs; epoch += 1) {
      const order = Rng.fromSeed(settings.seed, 'reward-model', 'pair-order', epoch).shuffle(encoded.map((_, i) => i));
      for (let start = 0; start < order.length; start += settings.batchSize) {
        hooks.abortSignal?.throwIfAborted();
        const batch = order.slice(start, start + settings.batchSize).map((i) => encoded[i]);
        lastLoss = await step(model, optimizer, batch, settings.learningRate * (1 - done / total), settings.maxGradNorm);
        done += 1;
        hooks.onStep?.(done, total, lastLoss);
        // Let timers and signals run between steps.
        await new Promise((resolve) => setImmediate(resolve));
      }
      await hooks.onEpoch?.(epoch + 1);
    }
  } finally {
    optimizer.dispose();
  }
  return { steps: done, lastLoss };
}

/** Rewards of the chosen and rejected texts of each pair. */
export async function scorePairs(model: RewardModel, pairs: readonly PairTexts[], options: { readonly batchSize: number; readonly abortSignal?: AbortSignal }): Promise<{ chosen: number[]; rejected: number[] }> {
  const scores = await model.score([...pairs.map((pair) => pair.chosen), ...pairs.map((pair) => pair.rejected)], options);
  return { chosen: scores.slice(0, pairs.length), rejected: scores.slice(pairs.length) };
}
