import { z } from 'zod';
import { decoding, nonNegativeInt, positiveInt, probability } from './common';

export const algorithm = z
  .strictObject({
    name: z
      .enum(['sft', 'ppo', 'ppo++', 'aggrevated', 'lols', 'd2lols'])
      .describe('`sft` trains on task references only; the others are the RL algorithms of docs/algorithms.md.'),
    ppoPlusPlusBeta: probability.default(0.6).describe('β of PPO++: probability that a sample starts from a guide roll-in of k ≥ 1 tokens.'),
    aggrevatedBeta: probability.default(0.8).describe("β of AggreVaTeD: probability that a sample switches to the guide's roll-out after k ≥ 1 learner tokens."),
    aggrevatedAdvantage: z
      .enum(['gae', 'guide-q'])
      .default('gae')
      .describe(
        "AggreVaTeD's advantage for the learner's prefix: `gae` over the whole mixed sequence as TRIL computes it (with γ = λ = 1, G_t − V^g(s_t), which for t < k−1 includes the learner's own later tokens), or `guide-q`: the one-step δ_t = r_t + γV^g(s_{t+1}) − V^g(s_t), an estimate of A^{πg}(s_t, a_t), with the λ-trace running only through the guide's roll-out (docs/algorithms.md).",
      ),
    lolsMixing: probability.default(0.5).describe('LOLS: probability that an iteration is PPO++ (otherwise AggreVaTeD).'),
    d2lolsSwitchIteration: nonNegativeInt.default(20).describe('τ of D2LOLS: iterations of AggreVaTeD before switching to PPO++.'),
    d2lolsCriticInit: z
      .enum(['guide-critic', 'fresh'])
      .default('guide-critic')
      .describe("D2LOLS: where the policy critic starts at the switch (the authors' code leaves it untrained): the trained guide critic, or the initial critic."),
    d2lolsCriticWarmupIterations: nonNegativeInt
      .default(1)
      .describe('D2LOLS: value-only PPO++ iterations at the switch, before the policy trains on the policy critic.'),
  })
  .describe('The algorithm and its guide settings.');

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
    coef: z.number().nonnegative().default(0.001).describe('β_KL: the fixed coefficient, or the starting one of the adaptive controller.'),
    estimator: z.enum(['k1', 'k3']).default('k1').describe('`k1`: log πθ − log πref; `k3`: (r − 1) − log r with r = πref/πθ (never negative).'),
    controller: z.enum(['fixed', 'adaptive']).default('fixed').describe('`adaptive` follows Ziegler et al. (2019).'),
    target: z.number().positive().default(6).describe('Adaptive controller: target KL per sequence.'),
    horizon: positiveInt.default(10000).describe('Adaptive controller: horizon in samples.'),
    inGuidedReward: z
      .boolean()
      .default(true)
      .describe("Keep the KL penalty in the reward of PPO++, AggreVaTeD, LOLS and D2LOLS (the authors' code silently drops it)."),
  })
  .describe('The per-token KL penalty against the frozen reference model.');

export const sft = z
  .strictObject({
    epochs: positiveInt.default(1).describe('Passes over the training samples.'),
    learningRate: z.number().positive().default(1e-4).describe('Learning rate (AdamW, linear decay).'),
    batchSize: positiveInt.default(16).describe('Samples per gradient step.'),
    limit: positiveInt.optional().describe('Train on at most this many task samples.'),
    maxTokens: positiveInt.default(128).describe('Longest prompt + reference in tokens; longer references are cut.'),
  })
  .describe('Supervised fine-tuning: the `sft` algorithm and SFT stages.');
