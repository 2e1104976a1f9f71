import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/**
 * Identity that shares the input's memory (tensors are immutable), as the cpu backend's does.
 * The wasm backend's own Identity copies, and the gradient tape clones every input it keeps for
 * the backward pass through Identity: each training step copied every weight and activation
 * (GPT-2 small: gigabytes, past the 4 GB wasm heap).
 */
function sharedIdentity(args: { inputs: tf.NamedTensorInfoMap; backend: unknown }): tf.TensorInfo {
  const x = args.inputs['x'] as tf.TensorInfo;
  (args.backend as BackendWasm).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/** Replaces wasm's copying Identity kernel by the sharing one; idempotent. */
export function registerSharedIdentity(): void {
  const existing = tf.getKernel('Identity', 'wasm');
  if (existing?.kernelFunc === sharedIdentity) return;
  if (existing !== undefined) tf.unregisterKernel('Identity', 'wasm');
  tf.registerKernel({ kernelName: 'Identity', backendName: 'wasm', kernelFunc: sharedIdentity });
}
