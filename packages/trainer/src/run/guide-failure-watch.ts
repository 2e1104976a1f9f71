/** What a run does about a guide that keeps failing (recipe `guideFailures`). */
export interface GuideFailurePolicy {
  readonly onPersistent: 'stop' | 'fallback';
  /** An iteration fails when more than this share of its guide requests failed. */
  readonly share: number;
  /** Consecutive failing iterations that make the failure persistent. */
  readonly iterations: number;
}

export interface GuideFailureWatch {
  /** Records an iteration; true when the guide has now failed persistently. */
  observe(iteration: number, calls: number, failures: number): boolean;
  /** The failing iterations of the current streak, as `iteration: failures/calls`. */
  describeStreak(): string;
}

/**
 * Counts consecutive iterations in which the guide failed for more than `share` of the samples
 * that asked it. An iteration that asked the guide nothing (a PPO iteration, no switch drawn)
 * neither breaks nor extends a streak.
 */
export function createGuideFailureWatch(policy: GuideFailurePolicy): GuideFailureWatch {
  let streak: { iteration: number; calls: number; failures: number }[] = [];
  return {
    observe(iteration, calls, failures) {
      if (calls === 0) return false;
      streak = failures / calls > policy.share ? [...streak, { iteration, calls, failures }] : [];
      return streak.length >= policy.iterations;
    },
    describeStreak: () => streak.map((s) => `${s.iteration}: ${s.failures}/${s.calls}`).join(', '),
  };
}
