import type { TrackedSampleV1, TrackedValuesV1, TrackerV1 } from '@rlgf/contracts';

/**
 * One tracker that hands every call to each of `trackers`, in order: the run's own files first,
 * then the trackers a recipe names. `flush` and `close` reach every tracker even when one fails,
 * and the first failure is rethrown afterwards, so one broken sink never leaves another unflushed.
 */
export function createCompositeTracker(trackers: readonly TrackerV1[]): TrackerV1 {
  const all = async (call: (tracker: TrackerV1) => Promise<void>) => {
    const results = await Promise.allSettled(trackers.map(call));
    const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failed) throw failed.reason;
  };
  return {
    specificationVersion: 'v1',
    logIteration(iteration: number, values: TrackedValuesV1) {
      for (const tracker of trackers) tracker.logIteration(iteration, values);
    },
    logEvaluation(iteration: number, split: string, values: TrackedValuesV1) {
      for (const tracker of trackers) tracker.logEvaluation(iteration, split, values);
    },
    logSamples(iteration: number, samples: readonly TrackedSampleV1[]) {
      for (const tracker of trackers) tracker.logSamples?.(iteration, samples);
    },
    flush: () => all((tracker) => tracker.flush()),
    close: () => all((tracker) => tracker.close()),
  };
}
