export interface CheckpointInfoV1 {
  /** Iterations (SFT: epochs) completed when the checkpoint was taken, counted from 1. */
  readonly iteration: number;
  /** Directory holding the checkpoint's files. */
  readonly dir: string;
}

/**
 * Where a run keeps its checkpoints. A checkpoint is a directory the trainer fills; the store
 * makes it appear atomically (write to a temporary directory, then rename) and keeps the last K.
 */
export interface CheckpointStoreV1 {
  readonly specificationVersion: 'v1';
  /**
   * Creates the checkpoint for `iteration`: `write` fills a fresh temporary directory; only when
   * it resolves does the checkpoint become visible. A failed `write` leaves earlier ones intact.
   */
  save(iteration: number, write: (dir: string) => Promise<void>): Promise<CheckpointInfoV1>;
  /** The newest complete checkpoint, if any. */
  latest(): Promise<CheckpointInfoV1 | undefined>;
  /** All complete checkpoints, oldest first. */
  list(): Promise<CheckpointInfoV1[]>;
}
