export type KlEstimator = 'k1' | 'k3';

/**
 * Per-token estimate of KL(πθ ‖ πref) from the sampled token's log-probs (Schulman, "Approximating
 * KL divergence", 2020): k1 = log πθ − log πref (unbiased, can be negative); k3 = (r − 1) − log r
 * with r = πref/πθ (unbiased, never negative, lower variance).
 */
export function klPerToken(policyLogProb: number, referenceLogProb: number, estimator: KlEstimator): number {
  const logRatio = referenceLogProb - policyLogProb;
  return estimator === 'k1' ? -logRatio : Math.expm1(logRatio) - logRatio;
}
