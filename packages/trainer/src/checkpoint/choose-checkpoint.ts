import { CheckpointError, type CheckpointInfoV1, type LoggerV1 } from '@rlgf/contracts';
import type { DirectoryCheckpointStore } from './directory-checkpoint-store';

export interface ChooseCheckpointOptions {
  /** The run directory, as the commands in messages name it. */
  readonly runDir: string;
  /** Resume after this iteration (`--checkpoint`); default the newest checkpoint. */
  readonly iteration?: number;
  readonly logger: LoggerV1;
}

const resumeCommand = (runDir: string, iteration: number) => `rlgf train --resume ${runDir} --checkpoint ${iteration}`;

/** The newest of `candidates` (oldest first) that matches its manifest, or was written before manifests. */
async function newestUsable(store: DirectoryCheckpointStore, candidates: readonly CheckpointInfoV1[]): Promise<CheckpointInfoV1 | undefined> {
  for (const checkpoint of [...candidates].reverse()) {
    if ((await store.check(checkpoint)).status !== 'damaged') return checkpoint;
  }
  return undefined;
}

/** Where to go when `damaged` cannot be resumed from: the newest usable other one, and the command. */
async function damagedError(store: DirectoryCheckpointStore, all: readonly CheckpointInfoV1[], damaged: CheckpointInfoV1, reason: string, runDir: string): Promise<CheckpointError> {
  const fallback = await newestUsable(store, all.filter((checkpoint) => checkpoint !== damaged));
  const what = damaged === all[all.length - 1] ? 'the newest checkpoint' : 'checkpoint';
  if (fallback === undefined) {
    return new CheckpointError({
      message: `${what} ${damaged.dir} is damaged (${reason}) and no other checkpoint of the run is intact`,
      hint: `start the run again without --resume, after moving ${runDir} away`,
    });
  }
  return new CheckpointError({
    message: `${what} ${damaged.dir} is damaged (${reason}); the newest intact one is after iteration ${fallback.iteration}`,
    hint: `resume from it with \`${resumeCommand(runDir, fallback.iteration)}\``,
  });
}

/**
 * The checkpoint a resumed run starts from: the one after `iteration` when given, else the newest.
 * It must match the manifest written with it; a damaged one stops the run with the newest intact
 * one and the exact command to resume from it (never a silent fall-back: that would quietly redo
 * iterations). Checkpoints after the chosen one are set aside, not deleted.
 */
export async function chooseCheckpoint(store: DirectoryCheckpointStore, options: ChooseCheckpointOptions): Promise<CheckpointInfoV1> {
  const { runDir, iteration, logger } = options;
  const all = await store.list();
  if (all.length === 0) throw new CheckpointError({ message: `run directory ${runDir} has no checkpoint to resume from`, hint: 'start it again without --resume' });
  const chosen = iteration === undefined ? all[all.length - 1] : all.find((checkpoint) => checkpoint.iteration === iteration);
  if (chosen === undefined) {
    throw new CheckpointError({
      message: `run directory ${runDir} has no checkpoint after iteration ${iteration}`,
      hint: `it has checkpoints after iterations ${all.map((checkpoint) => checkpoint.iteration).join(', ')}`,
    });
  }
  const check = await store.check(chosen);
  if (check.status === 'damaged') throw await damagedError(store, all, chosen, check.reason, runDir);
  if (check.status === 'unverified') logger.warn(`checkpoint ${chosen.dir} has no manifest (written by an earlier version): resuming from it unchecked`);
  const setAside = await store.setAsideAfter(chosen.iteration);
  if (setAside.length > 0) logger.warn(`resuming after iteration ${chosen.iteration}: moved the ${setAside.length} later checkpoint(s) to ${setAside.join(', ')}`);
  return chosen;
}
