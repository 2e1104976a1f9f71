import type { HubFilesV1 } from '../../hub/v1/hub-files-v1';
import type { LoggerV1 } from '../../shared/v1/logger-v1';

export interface RewardTrainOptionsV1 {
  /** Directory the trained reward checkpoint is written to (created if missing). */
  readonly outDir: string;
  /** Trainer-specific settings (validated by the trainer). */
  readonly settings: Readonly<Record<string, unknown>>;
  readonly seed: number;
  readonly hub: HubFilesV1;
  readonly logger: LoggerV1;
  /** Progress of long phases, one call per unit of work done. */
  readonly onProgress?: (phase: string, done: number, total: number, values?: Readonly<Record<string, number>>) => void;
  readonly abortSignal?: AbortSignal;
}

export interface RewardTrainResultV1 {
  /** Directory holding the checkpoint a reward plugin loads. */
  readonly checkpointDir: string;
  /** Held-out scores, e.g. `{ accuracy: 0.89 }` or pairwise accuracy. */
  readonly metrics: Readonly<Record<string, number>>;
  /** How to use the result, e.g. the reward reference for a recipe. */
  readonly usage: string;
}

/**
 * Trains the reward of a task (`rlgf train-reward --task <id>`): a sentiment classifier for IMDB,
 * a Bradley-Terry reward model for TL;DR. Registered by reward plugins.
 */
export interface RewardTrainerV1 {
  readonly specificationVersion: 'v1';
  readonly id: string;
  /** The task whose reward this trains. */
  readonly task: string;
  doTrain(options: RewardTrainOptionsV1): Promise<RewardTrainResultV1>;
}
