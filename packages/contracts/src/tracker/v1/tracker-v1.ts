/** One row of a tracking file: flat metric names to numbers, strings for labels like `phase`. */
export type TrackedValuesV1 = Readonly<Record<string, number | string>>;

/** A generation of the policy with its total reward, for trackers that show samples. */
export interface TrackedSampleV1 {
  readonly prompt: string;
  readonly generation: string;
  readonly reward: number;
}

/**
 * A metrics sink: JSONL/CSV files, a terminal progress display, or a remote experiment tracker.
 * Calls are ordered; implementations buffer as they like but must persist on `flush`. A recipe
 * names trackers as components of kind `tracker`; the run fans out to them and its own files.
 * Iterations are numbered from 1: the N-th iteration's row and samples carry N, and an evaluation
 * after N completed iterations carries N (0: the starting point, before any training).
 */
export interface TrackerV1 {
  readonly specificationVersion: 'v1';
  /** Per training iteration (reward, KL, losses, timings, ...). */
  logIteration(iteration: number, values: TrackedValuesV1): void;
  /** An evaluation of the policy on a split after `iteration` completed iterations. */
  logEvaluation(iteration: number, split: string, values: TrackedValuesV1): void;
  /**
   * The rollout's generations of an iteration, in rollout order (optional: trackers that show no
   * text leave it out). Called before `logIteration` of the same iteration.
   */
  logSamples?(iteration: number, samples: readonly TrackedSampleV1[]): void;
  /** Makes everything logged so far durable (called before each checkpoint). */
  flush(): Promise<void>;
  close(): Promise<void>;
}
