/** What scoring knows about an iteration's samples when advantages are estimated. */
export interface AdvantageInput {
  /** Per-token rewards r_t (the score, and the KL penalty where it is in the reward), [samples][T]. */
  readonly tokenRewards: readonly (readonly number[])[];
  /** Critic values V(s_t), [samples][T] (zeros for a critic-free plan). */
  readonly values: readonly (readonly number[])[];
  /** Valid tokens per sample. */
  readonly lengths: readonly number[];
  /** Switch step k per sample. */
  readonly switchSteps: readonly number[];
  /** Samples that train nothing (a failed guide roll-out finished by the learner). */
  readonly excluded: readonly boolean[];
  /** Group (prompt) id per sample; every sample its own group without groups. */
  readonly groups: readonly number[];
  /** Tokens the policy loss covers, [samples][T]. */
  readonly policyMask: readonly (readonly number[])[];
  readonly gamma: number;
  readonly lambda: number;
  /** `optimization.whitenAdvantages`: for estimators that leave normalisation to the recipe. */
  readonly whiten: boolean;
}

export interface AdvantageOutput {
  /** Per-token advantages of the policy loss, [samples][T]. */
  readonly advantages: number[][];
  /** Per-token value targets of the critic, [samples][T] (zeros for critic-free estimators). */
  readonly returns: number[][];
}

/**
 * How an algorithm turns rewards (and values) into advantages: GAE with a critic, AggreVaTeD's
 * guide-q, group-relative (GRPO), leave-one-out (RLOO), batch-normalised returns (REINFORCE++).
 * Each is a small module over pure functions in `../math`.
 */
export interface AdvantageEstimator {
  /** For logs and tests. */
  readonly name: string;
  /** Whether it reads critic values (a critic-free run loads no critic). */
  readonly needsCritic: boolean;
  estimate(input: AdvantageInput): AdvantageOutput;
}

/** Sequence reward of each sample: Σ_t r_t over its valid tokens. */
export function sequenceRewards(input: AdvantageInput): number[] {
  return input.tokenRewards.map((row, i) => row.slice(0, input.lengths[i]).reduce((a, b) => a + b, 0));
}

/** A per-sample advantage on every valid token of the sample. */
export function broadcast(perSample: readonly number[], input: AdvantageInput): number[][] {
  return input.tokenRewards.map((row, i) => row.map((_, t) => (t < input.lengths[i] ? perSample[i] : 0)));
}

export const zerosLike = (rows: readonly (readonly number[])[]): number[][] => rows.map((row) => row.map(() => 0));
