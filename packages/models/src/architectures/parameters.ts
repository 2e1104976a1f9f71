import * as tf from '@tensorflow/tfjs-core';
import type { HostTensor } from '../weights/weight-map';

/**
 * The device variables of one network under internal names (`layers.3.qkv`), in the layout the
 * forward pass multiplies by. Variables are unnamed in the tfjs registry, so any number of copies
 * (policy, reference, guide, critic) coexist without sharing.
 */
export class ParameterSet {
  private readonly variables = new Map<string, tf.Variable>();
  private disposed = false;

  constructor(readonly trainable: boolean) {}

  add(name: string, tensor: HostTensor): tf.Variable {
    const variable = tf.tidy(() => tf.variable(tf.tensor(tensor.data, [...tensor.shape], 'float32'), this.trainable));
    this.variables.set(name, variable);
    return variable;
  }

  get<T extends tf.Rank = tf.Rank>(name: string): tf.Variable<T> {
    const variable = this.variables.get(name);
    if (variable === undefined || this.disposed) throw new Error(`parameter ${name} is not available`);
    return variable as tf.Variable<T>;
  }

  /** Host copy of one parameter (a read from the device). */
  read(name: string): HostTensor {
    const variable = this.get(name);
    return { shape: [...variable.shape], data: new Float32Array(variable.dataSync()) };
  }

  names(): string[] {
    return [...this.variables.keys()];
  }

  list(): tf.Variable[] {
    return [...this.variables.values()];
  }

  count(): number {
    return this.list().reduce((sum, variable) => sum + variable.size, 0);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const variable of this.variables.values()) variable.dispose();
  }
}
