import { z } from 'zod';
import type { Recipe } from '@rlgf/recipe';
import type { SettingsIssue } from './algorithm';

// Settings shared by several algorithm modules, declared once so every module documents them alike.

const probability = z.number().min(0).max(1);
const positiveInt = z.number().int().positive();

export const ppoPlusPlusBeta = probability.default(0.6).describe('β of PPO++: probability that a sample starts from a guide roll-in of k ≥ 1 tokens.');
export const aggrevatedBeta = probability
  .default(0.8)
  .describe("β of AggreVaTeD: probability that a sample switches to the guide's roll-out after k ≥ 1 learner tokens.");
export const aggrevatedAdvantage = z
  .enum(['gae', 'guide-q'])
  .default('gae')
  .describe(
    "AggreVaTeD's advantage for the learner's prefix: `gae` over the whole mixed sequence as TRIL computes it (with γ = λ = 1, G_t − V^g(s_t), which for t < k−1 includes the learner's own later tokens), or `guide-q`: the one-step δ_t = r_t + γV^g(s_{t+1}) − V^g(s_t), an estimate of A^{πg}(s_t, a_t), with the λ-trace running only through the guide's roll-out (docs/algorithms.md).",
  );

/** G of GRPO / RLOO (TRL's `num_generations`, OpenRLHF's `n_samples_per_prompt`). */
export function numGenerations(fallback: number) {
  return positiveInt.default(fallback).describe('Samples per prompt (the group); must divide rollout.samplesPerIteration.');
}

export const lossType = z
  .enum(['grpo', 'dapo', 'dr_grpo'])
  .default('grpo')
  .describe(
    "How the policy loss averages over tokens (TRL's `loss_type`): `grpo` per sequence, then over sequences; `dapo` over all tokens of the minibatch; `dr_grpo` the token sum over sequences × generation length (no length bias).",
  );

/** The group size must divide the rollout batch: each prompt contributes a whole group. */
export function groupDividesBatch(groupSize: number, recipe: Recipe): SettingsIssue[] {
  const batch = recipe.rollout.samplesPerIteration;
  return batch % groupSize === 0
    ? []
    : [{ path: 'algorithm.numGenerations', message: `group size ${groupSize} does not divide rollout.samplesPerIteration ${batch}: pick a divisor, or change the batch` }];
}
