import type { AdvantageEstimator } from '../advantages/advantage-estimator';
import { gaeEstimator, guideQEstimator } from '../advantages/critic-estimators';

/** Which value model an iteration uses for advantages and trains. */
export type CriticRole = 'policy' | 'guide';

/**
 * How the policy loss (and the KL loss term) averages over tokens, by the names GRPO users know:
 * `token` — over all tokens of the minibatch (PPO, DAPO); `sequence` — over each sequence's
 * tokens, then over sequences (GRPO as published); `constant` — the sum over tokens divided by
 * sequences × generation length (Dr. GRPO, no length bias).
 */
export type LossAggregation = 'token' | 'sequence' | 'constant';

/**
 * What one iteration does: who writes which tokens, which tokens each loss sees, which critic (if
 * any), how advantages are estimated and where the KL goes. Algorithm modules compose plans;
 * everything else is the shared loop.
 */
export interface IterationPlan {
  /** Label for logs and metrics (`ppo`, `ppo++`, `aggrevated`, `critic-warmup`, `grpo`, …). */
  readonly phase: string;
  /** Who writes the first k tokens (`none`: nobody, k = 0 always). */
  readonly rollIn: 'none' | 'guide' | 'policy';
  /** Who writes the rest. */
  readonly rollOut: 'policy' | 'guide';
  /** Probability that a sample (or a group, see `switchPer`) switches at a step k ≥ 1. */
  readonly switchProbability: number;
  /** `group`: one coin and one k per group of samples of a prompt, shared by all of them. */
  readonly switchPer: 'sample' | 'group';
  /** The critic that gives values and learns; none for critic-free methods. */
  readonly critic?: CriticRole;
  /** False for value-only iterations (critic warm-up). */
  readonly trainPolicy: boolean;
  readonly advantage: AdvantageEstimator;
  /** `reward`: −β·kl_t on each policy token's reward; `loss`: β·KL as a loss term (GRPO). */
  readonly kl: 'reward' | 'loss';
  readonly lossAggregation: LossAggregation;
}

/** Per-token 0/1 masks of one sample for the policy loss and the value loss. */
export interface LossMasks {
  readonly policy: number[];
  readonly value: number[];
}

/**
 * The loss masks of a sample with switch step `k` and `length` valid tokens, padded to `width`:
 * - no roll-in (PPO, GRPO): every token in both losses;
 * - guide roll-in, policy roll-out (PPO++): tokens t ≥ k — the guide's prefix is a restart state,
 *   not an action of the policy;
 * - policy roll-in, guide roll-out (AggreVaTeD): policy loss on the learner's prefix t < k, value
 *   loss (guide critic) on the guide's tokens t ≥ k; with k = 0 the guide wrote everything and
 *   only the critic learns;
 * - value-only plans (critic warm-up) train no policy token; critic-free plans no value token.
 */
export function lossMasks(plan: IterationPlan, k: number, length: number, width: number): LossMasks {
  const policy = new Array<number>(width).fill(0);
  const value = new Array<number>(width).fill(0);
  for (let t = 0; t < length; t++) {
    const learnerToken = plan.rollIn === 'policy' ? t < k : t >= k;
    policy[t] = plan.trainPolicy && learnerToken ? 1 : 0;
    // The critic always learns the states after the switch: the roll-out policy's values.
    value[t] = plan.critic !== undefined && t >= k ? 1 : 0;
  }
  return { policy, value };
}

/** Whether the guide writes any of an iteration's tokens (`kl.inGuidedReward` applies). */
export function isGuided(plan: IterationPlan): boolean {
  return plan.rollIn === 'guide' || plan.rollOut === 'guide';
}

const critic = { switchPer: 'sample', kl: 'reward', lossAggregation: 'token', advantage: gaeEstimator } as const;

export const ppoPlan: IterationPlan = { ...critic, phase: 'ppo', rollIn: 'none', rollOut: 'policy', switchProbability: 0, critic: 'policy', trainPolicy: true };

export function ppoPlusPlusPlan(beta: number): IterationPlan {
  return { ...critic, phase: 'ppo++', rollIn: 'guide', rollOut: 'policy', switchProbability: beta, critic: 'policy', trainPolicy: true };
}

export function aggrevatedPlan(beta: number, advantage: 'gae' | 'guide-q' = 'gae'): IterationPlan {
  return {
    ...critic,
    phase: 'aggrevated',
    rollIn: 'policy',
    rollOut: 'guide',
    switchProbability: beta,
    critic: 'guide',
    trainPolicy: true,
    advantage: advantage === 'gae' ? gaeEstimator : guideQEstimator,
  };
}

/** PPO++ samples with value-only updates, to train a critic before the policy relies on it. */
export function criticWarmupPlan(beta: number): IterationPlan {
  return { ...ppoPlusPlusPlan(beta), phase: 'critic-warmup', trainPolicy: false };
}
