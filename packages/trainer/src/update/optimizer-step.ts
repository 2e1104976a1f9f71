import { NumericalError } from '@rlgf/contracts';
import type { AdamW } from '@rlgf/models';
import * as tf from '@tensorflow/tfjs-core';
import { clipByGlobalNorm } from './gradients';

export interface StepResult {
  readonly loss: number;
  readonly gradNorm: number;
}

/**
 * One optimizer step on `variables`: gradients of `lossFn`, a NaN/Inf check on the loss and the
 * gradient norm (read in one host sync, before anything is applied), global-norm clipping, AdamW.
 * Variables the loss does not reach (an untied LM head under a value loss) get no gradient and are
 * left alone, moments and step count included. A non-finite value throws a NumericalError naming
 * the iteration and quantity; the weights are untouched, so the last checkpoint stays the last
 * good state.
 */
export async function optimizerStep(options: {
  readonly variables: readonly tf.Variable[];
  readonly optimizer: AdamW;
  readonly learningRate: number;
  readonly maxGradNorm: number;
  readonly lossFn: () => tf.Scalar;
  /** The iteration (SFT: epoch) as messages number it, from 1. */
  readonly iteration: number;
  readonly quantity: string;
}): Promise<StepResult> {
  const { value, grads } = tf.variableGrads(options.lossFn, [...options.variables]);
  const reached = options.variables.filter((variable) => grads[variable.name] !== undefined);
  const ordered = reached.map((variable) => grads[variable.name]);
  const clipped = clipByGlobalNorm(ordered, options.maxGradNorm);
  const readings = tf.stack([value, clipped.norm]);
  const [loss, gradNorm] = await readings.data();
  tf.dispose([readings, value, clipped.norm, ...ordered]);
  try {
    if (!Number.isFinite(loss)) throw new NumericalError({ iteration: options.iteration, quantity: options.quantity, value: loss });
    if (!Number.isFinite(gradNorm)) throw new NumericalError({ iteration: options.iteration, quantity: `${options.quantity} gradient norm`, value: gradNorm });
    options.optimizer.applyGradients(reached, clipped.gradients, options.learningRate);
  } finally {
    tf.dispose(clipped.gradients);
  }
  return { loss, gradNorm };
}
