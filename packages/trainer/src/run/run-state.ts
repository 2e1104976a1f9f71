import { CheckpointError } from '@rlgf/contracts';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { KlControllerState } from '../math/kl-controller';

/** The scalars of a checkpoint besides the learner's tensors. */
export interface RunState {
  readonly format: typeof currentFormat;
  readonly algorithm: string;
  readonly seed: number;
  /** Iterations (SFT: epochs) completed, as every message, row and folder name counts them. */
  readonly iteration: number;
  /** Phase of the last completed iteration (LOLS/D2LOLS). */
  readonly phase: string;
  readonly kl: KlControllerState;
}

const currentFormat = 'rlgf-run-state/v2';
// v1 (before iterations were counted from 1) held the 0-based index of the last completed iteration.
const indexedFormat = 'rlgf-run-state/v1';

export async function writeRunState(dir: string, state: Omit<RunState, 'format'>): Promise<void> {
  await writeFile(join(dir, 'state.json'), `${JSON.stringify({ format: currentFormat, ...state }, null, 2)}\n`);
}

export async function readRunState(dir: string): Promise<RunState> {
  let state: Omit<RunState, 'format'> & { readonly format: string };
  try {
    state = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as typeof state;
  } catch (cause) {
    throw new CheckpointError({ message: `checkpoint ${dir} has no readable state.json`, hint: 'resume from an earlier checkpoint', cause });
  }
  if ((state.format !== currentFormat && state.format !== indexedFormat) || !Number.isInteger(state.iteration) || typeof state.kl?.coef !== 'number') {
    throw new CheckpointError({ message: `checkpoint ${dir}: state.json is not an RLGF run state (format ${JSON.stringify(state.format)})` });
  }
  return { ...state, format: currentFormat, iteration: state.format === indexedFormat ? state.iteration + 1 : state.iteration };
}
