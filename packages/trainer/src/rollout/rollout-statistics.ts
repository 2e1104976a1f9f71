import { explainedVariance, meanAndStd } from '../math/statistics';
import type { RolloutSample } from './rollout-sample';

/** What scoring computed per sample that the iteration statistics summarise. */
export interface ScoredSample {
  readonly sample: RolloutSample;
  readonly length: number;
  readonly reward: number;
  /** Σ KL over the tokens the policy wrote. */
  readonly policyKl: number;
  /** Σ log πθ − log πref over the tokens the guide wrote. */
  readonly guideLogRatio: number;
  /** Policy entropies per token, [T]. */
  readonly entropies: readonly number[];
}

const policyTokens = (s: ScoredSample) => s.sample.writers.slice(0, s.length).filter((w) => w === 'policy').length;
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/**
 * Iteration statistics, by writer: the reward, KL and entropy of the policy are averaged over the
 * samples in which the policy wrote at least one token; samples the guide wrote alone (AggreVaTeD
 * with k = 0, or a PPO++ roll-in that ended before its switch step) are counted apart and never
 * reported as the policy's.
 */
export function rolloutStatistics(scored: readonly ScoredSample[], value: { readonly values: readonly number[]; readonly returns: readonly number[] }): Record<string, number> {
  const policySamples = scored.filter((s) => policyTokens(s) > 0);
  const guideOnly = scored.filter((s) => policyTokens(s) === 0);
  const withGuideTokens = scored.filter((s) => s.sample.writers.slice(0, s.length).includes('guide'));
  const totalTokens = sum(scored.map((s) => s.length));
  const policyTokenCount = sum(policySamples.map(policyTokens));
  const guideTokens = totalTokens - sum(scored.map(policyTokens));
  const policyEntropy = sum(
    policySamples.map((s) => sum(s.entropies.slice(0, s.length).filter((_, t) => s.sample.writers[t] === 'policy'))),
  );
  const stats: Record<string, number> = {
    'kl/samples': policySamples.length,
    'rollout/mean_length': totalTokens / Math.max(1, scored.length),
    'rollout/guide_token_share': totalTokens > 0 ? guideTokens / totalTokens : 0,
    'rollout/guide_only_samples': guideOnly.length,
    'rollout/excluded_samples': scored.filter((s) => s.sample.excluded).length,
  };
  if (policySamples.length > 0) {
    const reward = meanAndStd(policySamples.map((s) => s.reward));
    Object.assign(stats, {
      'reward/mean': reward.mean,
      'reward/std': reward.std,
      'kl/mean': meanAndStd(policySamples.map((s) => s.policyKl)).mean,
      'policy/entropy': policyTokenCount > 0 ? policyEntropy / policyTokenCount : 0,
    });
  }
  if (guideOnly.length > 0) stats['reward/guide_only_mean'] = meanAndStd(guideOnly.map((s) => s.reward)).mean;
  if (withGuideTokens.length > 0) stats['kl/guide_log_ratio'] = meanAndStd(withGuideTokens.map((s) => s.guideLogRatio)).mean;
  // The critic's mean prediction before the update: shows which critic scored (a fresh head says 0).
  if (value.values.length > 0) stats['value/mean'] = meanAndStd(value.values).mean;
  const explained = explainedVariance(value.values, value.returns);
  if (Number.isFinite(explained)) stats['value/explained_variance'] = explained;
  return stats;
}
