import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { CpuBackendLike } from './kernel-types';

/**
 * A writable float32 view of a tensor's backing memory, on the backends whose memory is host
 * memory (`wasm`: the module heap; `cpu`: a typed array), else undefined. Writing through it
 * mutates the tensor in place; only use it on tensors this package created and owns alone (a
 * preallocated cache), never on a tensor that user code may hold.
 *
 * A view over the wasm heap is invalidated when the heap grows: take it, use it, drop it.
 */
export function hostView(tensor: tf.Tensor): Float32Array | undefined {
  if (tensor.dtype !== 'float32') return undefined;
  const name = tf.getBackend();
  const backend = tf.backend() as unknown;
  if (name === 'wasm') return (backend as BackendWasm).typedArrayFromHeap(tensor) as Float32Array;
  if (name === 'cpu') {
    const values = (backend as CpuBackendLike).data.get(tensor.dataId).values;
    return values instanceof Float32Array ? values : undefined;
  }
  return undefined;
}

/** Whether the active backend keeps tensors in host memory (wasm, cpu), where reading one is free. */
export function isHostMemoryBackend(): boolean {
  return ['wasm', 'cpu'].includes(tf.getBackend());
}
