/** Which value model an iteration uses for advantages and trains. */
export type CriticRole = 'policy' | 'guide';

/**
 * What one iteration does. PPO++ and AggreVaTeD differ only in who rolls in and out, which
 * tokens the policy and value losses see, and which critic; everything else is the shared loop.
 */
export interface IterationPlan {
  /** Label for logs and metrics. */
  readonly phase: 'ppo' | 'ppo++' | 'aggrevated' | 'critic-warmup';
  /** Who writes the first k tokens (`none`: nobody, k = 0 always). */
  readonly rollIn: 'none' | 'guide' | 'policy';
  /** Who writes the rest. */
  readonly rollOut: 'policy' | 'guide';
  /** Probability that a sample switches at a step k ≥ 1. */
  readonly switchProbability: number;
  readonly critic: CriticRole;
  /** False for value-only iterations (critic warm-up). */
  readonly trainPolicy: boolean;
  /**
   * How the policy's advantages are estimated: GAE over the whole sequence, or (policy roll-in,
   * guide roll-out only) `guide-q`, the one-step estimate of A^{πg} on the learner's prefix.
   */
  readonly advantage: AdvantageEstimator;
}

/** See `algorithm.aggrevatedAdvantage` in docs/recipes.md and docs/algorithms.md. */
export type AdvantageEstimator = 'gae' | 'guide-q';

/** Per-token 0/1 masks of one sample for the policy loss and the value loss. */
export interface LossMasks {
  readonly policy: number[];
  readonly value: number[];
}

/**
 * The loss masks of a sample with switch step `k` and `length` valid tokens, padded to `width`:
 * - PPO: every token in both losses;
 * - PPO++ (guide roll-in, policy roll-out): tokens t ≥ k — the guide's prefix is a restart state,
 *   not an action of the policy;
 * - AggreVaTeD (policy roll-in, guide roll-out): policy loss on the learner's prefix t < k, value
 *   loss (guide critic) on the guide's tokens t ≥ k; with k = 0 the guide wrote everything and
 *   only the critic learns;
 * - critic warm-up: PPO++ samples, value loss only.
 */
export function lossMasks(plan: IterationPlan, k: number, length: number, width: number): LossMasks {
  const policy = new Array<number>(width).fill(0);
  const value = new Array<number>(width).fill(0);
  for (let t = 0; t < length; t++) {
    const learnerToken = plan.rollIn === 'policy' ? t < k : t >= k;
    policy[t] = plan.trainPolicy && learnerToken ? 1 : 0;
    // The critic always learns the states after the switch: the roll-out policy's values.
    value[t] = t >= k ? 1 : 0;
  }
  return { policy, value };
}

export const ppoPlan: IterationPlan = {
  phase: 'ppo',
  rollIn: 'none',
  rollOut: 'policy',
  switchProbability: 0,
  critic: 'policy',
  trainPolicy: true,
  advantage: 'gae',
};

export function ppoPlusPlusPlan(beta: number): IterationPlan {
  return { phase: 'ppo++', rollIn: 'guide', rollOut: 'policy', switchProbability: beta, critic: 'policy', trainPolicy: true, advantage: 'gae' };
}

export function aggrevatedPlan(beta: number, advantage: AdvantageEstimator = 'gae'): IterationPlan {
  return { phase: 'aggrevated', rollIn: 'policy', rollOut: 'guide', switchProbability: beta, critic: 'guide', trainPolicy: true, advantage };
}

/** PPO++ samples with value-only updates, to train a critic before the policy relies on it. */
export function criticWarmupPlan(beta: number): IterationPlan {
  return { ...ppoPlusPlusPlan(beta), phase: 'critic-warmup', trainPolicy: false };
}
