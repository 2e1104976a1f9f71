import { klPerToken, type KlEstimator } from '../math/kl';
import type { Writer } from './rollout-sample';

export interface WriterKl {
  /** Per-token KL(πθ ‖ πref) estimates on the tokens the policy wrote, 0 elsewhere, [T]. */
  readonly policy: number[];
  /** Σ (log πθ − log πref) over the tokens the guide wrote (drawn from πg: not a KL of the policy). */
  readonly guideLogRatio: number;
}

/**
 * Splits the log-ratio log πθ − log πref of one sample by who wrote each token. Only the policy's
 * tokens carry a KL of the policy: guide tokens are drawn from πg, and with the SFT model as guide
 * and reference, E[log πθ − log πref] over them is −KL(πref ‖ πθ) (docs/algorithms.md, "KL by
 * writer"). The guide's log-ratio is returned apart, for logging only.
 */
export function writerKl(options: {
  readonly policyLogProbs: readonly number[];
  readonly referenceLogProbs: readonly number[];
  readonly writers: readonly Writer[];
  readonly length: number;
  readonly estimator: KlEstimator;
}): WriterKl {
  const policy = options.policyLogProbs.map(() => 0);
  let guideLogRatio = 0;
  for (let t = 0; t < options.length; t++) {
    if (options.writers[t] === 'policy') policy[t] = klPerToken(options.policyLogProbs[t], options.referenceLogProbs[t], options.estimator);
    else guideLogRatio += options.policyLogProbs[t] - options.referenceLogProbs[t];
  }
  return { policy, guideLogRatio };
}
