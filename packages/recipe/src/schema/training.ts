import { z } from 'zod';
import { decoding, nonNegativeInt, positiveInt, probability } from './common';
import { lora } from './lora';

/**
 * The algorithm: its `name`, and its own settings beside it. The recipe names no algorithm: each
 * algorithm module declares its settings schema and the trainer validates them (docs/recipes.md,
 * "Algorithm settings", is generated from those schemas).
 */
export const algorithm = z
  .looseObject({
    name: z
      .string()
      .min(1)
      .describe(
        '`sft` trains on task references only (`rlgf sft`); the others are RL algorithm modules — ppo, ppo++, aggrevated, lols, d2lols, grpo, grpo++, rloo, reinforce++ and any a plugin registers (docs/algorithms.md). The fields beside `name` are that algorithm\'s settings (see "Algorithm settings" below).',
      ),
  })
  .describe("The algorithm and its settings.");

export const rollout = z
  .strictObject({
    iterations: positiveInt.default(50).describe('Training iterations (rollout, then update).'),
    samplesPerIteration: positiveInt.default(112).describe('Prompts sampled per iteration (the rollout batch).'),
    generationBatchSize: positiveInt.default(16).describe('Prompts per generation call (bounds memory); must divide samplesPerIteration.'),
    maxNewTokens: positiveInt.optional().describe("New tokens per sample; default: the task's (IMDB 48)."),
    minNewTokens: nonNegativeInt.optional().describe("EOS is suppressed before this many tokens; default: the task's."),
    decoding: decoding
      .default({ strategy: 'sample', temperature: 1, topK: 50, topP: 1 })
      .describe('Decoding of the policy during training (the authors sample with top-k 50).'),
  })
  .describe('How samples are drawn each iteration.');

export const optimization = z
  .strictObject({
    learningRate: z.number().positive().default(1e-5).describe('Peak learning rate of the policy (AdamW).'),
    schedule: z.enum(['constant', 'linear']).default('linear').describe('`linear` decays the learning rate to 0 over all optimizer steps.'),
    criticLearningRate: z.number().positive().optional().describe('Learning rate of the critic(s); default: learningRate.'),
    minibatchSize: positiveInt.default(28).describe('Samples per gradient step; must divide samplesPerIteration.'),
    epochs: positiveInt.default(5).describe('Passes over each rollout batch.'),
    maxGradNorm: z.number().nonnegative().default(0.5).describe('Clip gradients to this global norm; 0 switches clipping off.'),
    weightDecay: z.number().nonnegative().default(0).describe('Decoupled weight decay of AdamW.'),
    adamBeta1: probability.default(0.9).describe('Adam β1.'),
    adamBeta2: probability.default(0.999).describe('Adam β2.'),
    adamEpsilon: z.number().positive().default(1e-8).describe('Adam ε.'),
    clipRange: z.number().positive().default(0.2).describe('PPO ratio clip ε.'),
    clipRangeValue: z.number().nonnegative().default(0.2).describe('Clip of the value update around the old values; 0 switches it off.'),
    valueCoef: z.number().nonnegative().default(0.5).describe('Weight of the value loss.'),
    entropyCoef: z.number().nonnegative().default(0).describe('Weight of the entropy bonus.'),
    gamma: probability.default(0.99).describe('Discount γ of GAE.'),
    lambda: probability.default(0.95).describe('λ of GAE.'),
    whitenAdvantages: z.boolean().default(true).describe('Normalise advantages to mean 0, std 1 over the trained tokens of a batch.'),
    targetKl: z
      .number()
      .positive()
      .optional()
      .describe("Stop an iteration's remaining minibatches when the approximate KL to the rollout policy exceeds this."),
    targetCoef: z
      .number()
      .nonnegative()
      .default(0.1)
      .describe('Weight of the auxiliary MLE loss on task references (`target_coef` of the authors); 0 switches it off.'),
  })
  .describe("PPO's optimisation; defaults are the authors' IMDB settings.");

export const kl = z
  .strictObject({
    coef: z
      .number()
      .nonnegative()
      .default(0.001)
      .describe("β_KL: the fixed coefficient, or the starting one of the adaptive controller (GRPO's `beta` where the algorithm puts the KL in the loss)."),
    estimator: z
      .enum(['k1', 'k2', 'k3'])
      .default('k1')
      .describe('Per-token estimate of KL(πθ ‖ πref): `k1` log πθ − log πref; `k2` ½(log πθ − log πref)²; `k3` (r − 1) − log r with r = πref/πθ (never negative). In the reward or, for algorithms that put it there (GRPO), in the loss.'),
    controller: z.enum(['fixed', 'adaptive']).default('fixed').describe('`adaptive` follows Ziegler et al. (2019).'),
    target: z.number().positive().default(6).describe('Adaptive controller: target KL per sequence.'),
    horizon: positiveInt.default(10000).describe('Adaptive controller: horizon in samples.'),
    inGuidedReward: z
      .boolean()
      .default(true)
      .describe("Keep the KL penalty in the reward of guided iterations (PPO++, AggreVaTeD, LOLS, D2LOLS, and guided group methods that put the KL in the reward); the authors' code silently drops it."),
  })
  .describe('The per-token KL penalty against the frozen reference model.');

export const sft = z
  .strictObject({
    epochs: positiveInt.default(1).describe('Passes over the training samples.'),
    learningRate: z.number().positive().default(1e-4).describe('Learning rate (AdamW, linear decay).'),
    batchSize: positiveInt.default(16).describe('Samples per gradient step.'),
    limit: positiveInt.optional().describe('Train on at most this many task samples.'),
    maxTokens: positiveInt.default(128).describe('Longest prompt + reference in tokens; longer references are cut.'),
    lora: lora
      .optional()
      .describe(
        "Train a LoRA adapter on the frozen model instead of all its weights. The output is then an adapter folder in PEFT's layout (`adapter/`: adapter_config.json naming the base in `base_model_name_or_path`, adapter_model.safetensors) instead of a full model; a model field given that folder (e.g. `policy.model: stage:sft`) loads the base and applies the adapter.",
      ),
  })
  .describe('Supervised fine-tuning: the `sft` algorithm and SFT stages.');
