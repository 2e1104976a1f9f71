import { CheckpointError } from '@rlgf/contracts';
import { readSafetensorsFile, writeSafetensorsFile, type AdamW, type HostTensor } from '@rlgf/models';
import type * as tf from '@tensorflow/tfjs-core';
import { existsSync } from 'node:fs';

const key = (moment: 'first' | 'second', index: number) => `${moment}.${String(index).padStart(5, '0')}`;

/** Writes an optimizer's state for `variables` as safetensors (moments) with the step count in its metadata. */
export async function saveOptimizer(path: string, optimizer: AdamW, variables: readonly tf.Variable[]): Promise<void> {
  const state = await optimizer.exportState(variables);
  const tensors = new Map<string, HostTensor>();
  state.first.forEach((moment, i) => tensors.set(key('first', i), moment));
  state.second.forEach((moment, i) => tensors.set(key('second', i), moment));
  await writeSafetensorsFile(path, tensors, {
    metadata: { format: 'rlgf-adamw', steps: String(state.steps), variables: String(variables.length), variable_steps: JSON.stringify(state.variableSteps ?? []) },
  });
}

/** Restores what {@link saveOptimizer} wrote into `optimizer` for the same variables. */
export async function loadOptimizer(path: string, optimizer: AdamW, variables: readonly tf.Variable[]): Promise<void> {
  if (!existsSync(path)) throw new CheckpointError({ message: `optimizer state ${path} is missing`, hint: 'the checkpoint is incomplete; resume from an earlier one' });
  const contents = await readSafetensorsFile(path);
  const steps = Number(contents.metadata.steps);
  if (!Number.isInteger(steps) || steps < 0 || Number(contents.metadata.variables) !== variables.length) {
    throw new CheckpointError({ message: `optimizer state ${path} does not match this model (${contents.metadata.variables ?? '?'} variables saved, ${variables.length} now)` });
  }
  const moments = (moment: 'first' | 'second') =>
    variables.map((_, i) => {
      const tensor = contents.tensors.get(key(moment, i));
      if (!tensor) throw new CheckpointError({ message: `optimizer state ${path} lacks ${key(moment, i)}` });
      return tensor;
    });
  // Checkpoints from before per-variable counts have none: every variable then had `steps`.
  const variableSteps = contents.metadata.variable_steps === undefined ? undefined : (JSON.parse(contents.metadata.variable_steps) as unknown);
  if (variableSteps !== undefined && !(Array.isArray(variableSteps) && variableSteps.length === variables.length && variableSteps.every((n) => Number.isInteger(n) && n >= 0))) {
    throw new CheckpointError({ message: `optimizer state ${path} has malformed per-variable step counts`, hint: 'the checkpoint is damaged; resume from an earlier one' });
  }
  optimizer.importState(variables, { steps, variableSteps: variableSteps as number[] | undefined, first: moments('first'), second: moments('second') });
}
