import type * as tf from '@tensorflow/tfjs-core';
import { hostView } from './host-view';

/**
 * The values of a float32 tensor in an array nobody else holds, read asynchronously: webgpu under
 * Node has no synchronous read of a tensor on the device. The cpu backend hands out the tensor's
 * own storage, which is copied; wasm and webgpu already return a fresh array, which is kept (no
 * second copy of every weight while a model is saved).
 */
export async function readFloat32(tensor: tf.Tensor): Promise<Float32Array> {
  const values = await tensor.data<'float32'>();
  return values === hostView(tensor) ? new Float32Array(values) : values;
}
