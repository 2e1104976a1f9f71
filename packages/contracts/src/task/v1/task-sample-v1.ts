/** One prompt of a task with everything needed to reward and evaluate a generation for it. */
export interface TaskSampleV1 {
  /** Stable id within the split (row index or the dataset's own id), used for seeded choices. */
  readonly id: string;
  /** The prompt as text, exactly what the policy conditions on. */
  readonly prompt: string;
  /**
   * The prompt as policy token ids when the task cut it in tokens (e.g. IMDB's first 64 tokens);
   * absent when the trainer should encode `prompt` itself.
   */
  readonly promptIds?: readonly number[];
  /** Reference continuations: one for IMDB and TL;DR, all references of a concept set for CommonGen. */
  readonly references: readonly string[];
  /** Task-specific extras a reward or metric may read (e.g. CommonGen's concepts). */
  readonly meta?: Readonly<Record<string, unknown>>;
}
