import { gae, type GaeResult } from './gae';

/**
 * AggreVaTeD's `guide-q` advantages for one sample whose learner wrote tokens t < k and whose
 * guide wrote the rest (values from the guide critic V^g):
 * - learner tokens t < k: the one-step δ_t = r_t + γ V^g(s_{t+1}) − V^g(s_t), an estimate of
 *   A^{πg}(s_t, a_t) = Q^{πg}(s_t, a_t) − V^{πg}(s_t) that does not include the learner's own
 *   later tokens (which GAE over the whole sequence would);
 * - guide tokens t ≥ k: GAE(γ, λ) over the guide's roll-out alone (its λ-trace never runs into
 *   the learner's prefix), whose returns are the guide critic's targets.
 * The episode ends after the last valid token (V(s_length) = 0).
 */
export function guideQAdvantages(
  rewards: readonly number[],
  values: readonly number[],
  length: number,
  switchStep: number,
  gamma: number,
  lambda: number,
): GaeResult {
  // The backward GAE recursion for t ≥ k reads nothing before k: it is the guide's roll-out alone.
  const { advantages, returns } = gae(rewards, values, length, gamma, lambda);
  for (let t = 0; t < Math.min(switchStep, length); t++) {
    const nextValue = t + 1 < length ? values[t + 1] : 0;
    advantages[t] = rewards[t] + gamma * nextValue - values[t];
    returns[t] = advantages[t] + values[t];
  }
  return { advantages, returns };
}
