import type { TaskSampleV1 } from '@rlgf/contracts';

/** Who wrote a generated token. */
export type Writer = 'policy' | 'guide';

/** One generated sample of an iteration, before scoring. */
export interface RolloutSample {
  readonly task: TaskSampleV1;
  readonly promptIds: readonly number[];
  /** Generated tokens, at most the generation length; the last may be EOS. */
  readonly tokens: readonly number[];
  readonly writers: readonly Writer[];
  /** The switch step actually used (the drawn k, clamped to what the roll-in produced). */
  readonly switchStep: number;
  /**
   * True when the guide failed to write this sample's roll-out and the learner finished it
   * instead: the sample is rewarded and logged, but it trains nothing (its targets would not
   * be the guide's cost-to-go).
   */
  readonly excluded: boolean;
}
