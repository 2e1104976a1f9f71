import * as tf from '@tensorflow/tfjs-core';
import { readFloat32 } from '../backend/read-float32';
import { copyVariable } from '../nn/copy-variable';
import type { HostTensor } from '../weights/weight-map';

/**
 * Host copies of one network's parameters under their internal names, read from the device in one
 * go (see {@link ParameterSet.readAll}): what a family's `save` turns into Hugging Face weights.
 */
export class HostParameters {
  private readonly handedOut = new Set<string>();

  constructor(private readonly tensors: ReadonlyMap<string, HostTensor>) {}

  /**
   * One parameter. The first read of a name hands out the array read from the device; a second
   * read (a tied matrix saved under two names) gets a copy, so no two weights share memory.
   */
  read(name: string): HostTensor {
    const tensor = this.tensors.get(name);
    if (tensor === undefined) throw new Error(`parameter ${name} is not available`);
    if (!this.handedOut.has(name)) {
      this.handedOut.add(name);
      return tensor;
    }
    return { shape: tensor.shape, data: new Float32Array(tensor.data) };
  }
}

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

  /**
   * Host copies of every parameter, all read concurrently. Asynchronous because webgpu under Node
   * has no synchronous read of a tensor on the device.
   */
  async readAll(): Promise<HostParameters> {
    const tensors = await Promise.all(this.names().map(async (name): Promise<[string, HostTensor]> => {
      const variable = this.get(name);
      return [name, { shape: [...variable.shape], data: await readFloat32(variable) }];
    }));
    return new HostParameters(new Map(tensors));
  }

  /** An independent set with the same values, copied on the device (see {@link copyVariable}). */
  copy(trainable: boolean): ParameterSet {
    const copy = new ParameterSet(trainable);
    for (const name of this.names()) copy.variables.set(name, copyVariable(this.get(name), trainable));
    return copy;
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
