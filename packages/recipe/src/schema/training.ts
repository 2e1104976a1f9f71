import { z } from 'zod';
import { decoding, nonNegativeInt, positiveInt, probability } from './common';

/** The RL algorithm and its guide-specific settings (DESIGN.md, "The algorithms"). */
export const algorithm = z.strictObject({
  /** `sft` trains on references only; the others are RL algorithms. */
  name: z.enum(['sft', 'ppo', 'ppo++', 'aggrevated', 'lols', 'd2lols']),
  /** Probability that a PPO++ sample switches from the guide's roll-in (β of PPO++). */
  ppoPlusPlusBeta: probability.default(0.6),
  /** Probability that an AggreVaTeD sample switches to the guide's roll-out (β of AggreVaTeD). */
  aggrevatedBeta: probability.default(0.8),
  /** LOLS: probability of a PPO++ iteration (else AggreVaTeD). */
  lolsMixing: probability.default(0.5),
  /** D2LOLS: iterations of AggreVaTeD before switching to PPO++ (τ). */
  d2lolsSwitchIteration: nonNegativeInt.default(20),
  /**
   * D2LOLS: the policy critic is untrained when PPO++ starts (the authors' code leaves it so).
   * `guide-critic` starts it from the trained guide critic's weights; `fresh` from the initial critic.
   */
  d2lolsCriticInit: z.enum(['guide-critic', 'fresh']).default('guide-critic'),
  /** D2LOLS: value-only PPO++ iterations at the switch, before the policy trains again. */
  d2lolsCriticWarmupIterations: nonNegativeInt.default(1),
});

/** How samples are drawn each iteration. */
export const rollout = z.strictObject({
  /** Training iterations (rollout + update). */
  iterations: positiveInt.default(50),
  /** Prompts sampled per iteration (the rollout batch). */
  samplesPerIteration: positiveInt.default(112),
  /** Prompts per generation call (memory bound); must divide samplesPerIteration. */
  generationBatchSize: positiveInt.default(16),
  /** New tokens per sample; default: the task's. */
  maxNewTokens: positiveInt.optional(),
  /** EOS suppressed before this many tokens; default: the task's. */
  minNewTokens: nonNegativeInt.optional(),
  /** Decoding of the policy during training (the authors sample with top-k 50). */
  decoding: decoding.default({ strategy: 'sample', temperature: 1, topK: 50, topP: 1 }),
});

/** PPO's optimisation (defaults: the authors' IMDB settings). */
export const optimization = z.strictObject({
  learningRate: z.number().positive().default(1e-5),
  schedule: z.enum(['constant', 'linear']).default('linear'),
  /** Learning rate of the critic(s); default: `learningRate`. */
  criticLearningRate: z.number().positive().optional(),
  minibatchSize: positiveInt.default(28),
  epochs: positiveInt.default(5),
  /** Global gradient-norm clip; 0 switches it off. */
  maxGradNorm: z.number().nonnegative().default(0.5),
  weightDecay: z.number().nonnegative().default(0),
  adamBeta1: probability.default(0.9),
  adamBeta2: probability.default(0.999),
  adamEpsilon: z.number().positive().default(1e-8),
  /** PPO ratio clip ε. */
  clipRange: z.number().positive().default(0.2),
  /** Value clip around the old values; 0 switches it off. */
  clipRangeValue: z.number().nonnegative().default(0.2),
  valueCoef: z.number().nonnegative().default(0.5),
  entropyCoef: z.number().nonnegative().default(0),
  gamma: probability.default(0.99),
  lambda: probability.default(0.95),
  whitenAdvantages: z.boolean().default(true),
  /** Stop the epochs of an iteration early when the approximate KL to the old policy exceeds this. */
  targetKl: z.number().positive().optional(),
  /** Weight of the auxiliary MLE loss on task references (`target_coef`). 0 switches it off. */
  targetCoef: z.number().nonnegative().default(0.1),
});

/** The per-token KL penalty against the frozen reference model. */
export const kl = z.strictObject({
  /** β_KL: initial (adaptive) or fixed coefficient. */
  coef: z.number().nonnegative().default(0.001),
  /** `k1`: log πθ − log πref; `k3`: (r − 1) − log r with r = πref/πθ (non-negative). */
  estimator: z.enum(['k1', 'k3']).default('k1'),
  controller: z.enum(['fixed', 'adaptive']).default('fixed'),
  /** Adaptive controller (Ziegler et al. 2019): target KL per sequence and horizon in samples. */
  target: z.number().positive().default(6),
  horizon: positiveInt.default(10000),
  /**
   * Keep the KL term in the reward of guided algorithms (PPO++, AggreVaTeD, LOLS, D2LOLS). The
   * authors' code silently drops it; here it is on by default, as in PPO.
   */
  inGuidedReward: z.boolean().default(true),
});

/** Supervised fine-tuning (the `sft` algorithm and SFT stages). */
export const sft = z.strictObject({
  epochs: positiveInt.default(1),
  learningRate: z.number().positive().default(1e-4),
  batchSize: positiveInt.default(16),
  /** Train on at most this many task samples. */
  limit: positiveInt.optional(),
  /** Longest prompt + reference in tokens; longer references are cut. */
  maxTokens: positiveInt.default(128),
});
