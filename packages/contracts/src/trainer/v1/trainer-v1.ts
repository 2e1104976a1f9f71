/** What a finished (or stopped) run reports. */
export interface TrainSummaryV1 {
  readonly algorithm: string;
  /** Iterations completed, counting those before a resume. */
  readonly iterations: number;
  /** Final evaluation scores by metric name, if an evaluation ran. */
  readonly finalMetrics: Readonly<Record<string, number>>;
  /** Run directory with checkpoints, tracking files and the summary. */
  readonly runDir: string;
  /** Why the run ended. */
  readonly stopReason: 'completed' | 'aborted' | 'failed';
}

export interface TrainerRunOptionsV1 {
  /** Stops after the current iteration, writing a checkpoint. */
  readonly abortSignal?: AbortSignal;
}

/** An algorithm driver (SFT, PPO, PPO++, AggreVaTeD, LOLS, D2LOLS) bound to one run. */
export interface TrainerV1 {
  readonly specificationVersion: 'v1';
  readonly algorithm: string;
  run(options?: TrainerRunOptionsV1): Promise<TrainSummaryV1>;
}
