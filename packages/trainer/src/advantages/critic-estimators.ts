import { gae } from '../math/gae';
import { guideQAdvantages } from '../math/guide-q';
import { whiten } from '../math/whiten';
import type { AdvantageEstimator, AdvantageInput, AdvantageOutput } from './advantage-estimator';

function perSample(input: AdvantageInput, estimate: (i: number) => { advantages: number[]; returns: number[] }): AdvantageOutput {
  const rows = input.tokenRewards.map((_, i) => estimate(i));
  const raw = rows.map((row) => row.advantages);
  return { advantages: input.whiten ? whiten(raw, input.policyMask) : raw, returns: rows.map((row) => row.returns) };
}

/** GAE(γ, λ) over each whole sample with the plan's critic (PPO, PPO++, AggreVaTeD as TRIL). */
export const gaeEstimator: AdvantageEstimator = {
  name: 'gae',
  needsCritic: true,
  estimate: (input) => perSample(input, (i) => gae(input.tokenRewards[i], input.values[i], input.lengths[i], input.gamma, input.lambda)),
};

/**
 * AggreVaTeD's `guide-q` (docs/algorithms.md): one-step δ_t on the learner's prefix, GAE over the
 * guide's roll-out. A sample the learner finished (the guide failed) has no guide roll-out: GAE.
 */
export const guideQEstimator: AdvantageEstimator = {
  name: 'guide-q',
  needsCritic: true,
  estimate: (input) =>
    perSample(input, (i) =>
      input.excluded[i]
        ? gae(input.tokenRewards[i], input.values[i], input.lengths[i], input.gamma, input.lambda)
        : guideQAdvantages(input.tokenRewards[i], input.values[i], input.lengths[i], input.switchSteps[i], input.gamma, input.lambda),
    ),
};
