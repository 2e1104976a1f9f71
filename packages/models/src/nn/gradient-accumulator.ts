import * as tf from '@tensorflow/tfjs-core';
import { hostView } from '../backend/host-view';

/**
 * Sums gradients over micro-batches into one preallocated buffer per variable. On wasm and cpu
 * the addition happens in place (no second copy of every gradient, which for GPT-2 small is
 * 500 MB of a 4 GB heap); elsewhere buffers are replaced by their sums.
 */
export class GradientAccumulator {
  private readonly sums: tf.Tensor[];
  private count = 0;

  constructor(readonly variables: readonly tf.Variable[]) {
    this.sums = variables.map((variable) => tf.zeros(variable.shape));
  }

  /** Micro-batches added since the last reset. */
  get micro(): number {
    return this.count;
  }

  /** Adds `grads` (as returned by `tf.variableGrads`, by variable name) and disposes them. */
  add(grads: tf.NamedTensorMap): void {
    this.variables.forEach((variable, index) => {
      const gradient = grads[variable.name];
      if (gradient === undefined) return;
      const target = hostView(this.sums[index]);
      const source = target === undefined ? undefined : hostView(gradient);
      if (target !== undefined && source !== undefined) {
        for (let i = 0; i < target.length; i++) target[i] += source[i];
      } else {
        const sum = tf.add(this.sums[index], gradient);
        this.sums[index].dispose();
        this.sums[index] = sum;
      }
    });
    tf.dispose(grads);
    this.count++;
  }

  /** The summed gradients, aligned with `variables` (owned by the accumulator). */
  gradients(): readonly tf.Tensor[] {
    return this.sums;
  }

  /** Zeros the sums for the next step. */
  reset(): void {
    this.sums.forEach((sum, index) => {
      const view = hostView(sum);
      if (view !== undefined) {
        view.fill(0);
      } else {
        this.sums[index] = tf.zerosLike(sum);
        sum.dispose();
      }
    });
    this.count = 0;
  }

  dispose(): void {
    tf.dispose(this.sums);
  }
}
