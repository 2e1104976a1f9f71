import { CheckpointError } from '@rlgf/contracts';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KlControllerState } from '../math/kl-controller';

/** The scalars of a checkpoint besides the learner's tensors. */
export interface RunState {
  readonly format: 'rlgf-run-state/v1';
  readonly algorithm: string;
  readonly seed: number;
  /** The last completed iteration. */
  readonly iteration: number;
  /** Phase of that iteration (LOLS/D2LOLS). */
  readonly phase: string;
  readonly kl: KlControllerState;
}

export async function writeRunState(dir: string, state: Omit<RunState, 'format'>): Promise<void> {
  await writeFile(join(dir, 'state.json'), `${JSON.stringify({ format: 'rlgf-run-state/v1', ...state }, null, 2)}\n`);
}

export async function readRunState(dir: string): Promise<RunState> {
  let state: RunState;
  try {
    state = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as RunState;
  } catch (cause) {
    throw new CheckpointError({ message: `checkpoint ${dir} has no readable state.json`, hint: 'resume from an earlier checkpoint', cause });
  }
  if (state.format !== 'rlgf-run-state/v1' || !Number.isInteger(state.iteration) || typeof state.kl?.coef !== 'number') {
    throw new CheckpointError({ message: `checkpoint ${dir}: state.json is not an RLGF run state (format ${JSON.stringify(state.format)})` });
  }
  return state;
}
