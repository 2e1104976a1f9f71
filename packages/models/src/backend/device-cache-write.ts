import * as tf from '@tensorflow/tfjs-core';

/** The parts of tfjs-backend-webgpu's WebGPUBackend (4.22) a device-side cache write uses. */
interface WebGpuBackendInternals {
  readonly tensorMap: { get(dataId: object): { resource?: unknown } | undefined };
  readonly commandQueueOwnedIds: WeakSet<object>;
  commandEncoder: { copyBufferToBuffer(source: unknown, sourceOffset: number, target: unknown, targetOffset: number, size: number): void };
  uploadToGPU(dataId: object): void;
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
}

/**
 * Writes `update` [B, s, H, D] into `buffer` [B, H, capacity, D] at columns [start, start + s)
 * on the device, in place, when the active backend is webgpu: one transpose of the update and
 * B·H buffer copies queued in the backend's command encoder (no host round trip, no rebuilding of
 * the cache). Returns false on other backends (the caller then writes another way).
 */
export function writeCacheColumnsOnDevice(buffer: tf.Tensor4D, update: tf.Tensor4D, start: number): boolean {
  if (tf.getBackend() !== 'webgpu') return false;
  const backend = tf.backend() as unknown as WebGpuBackendInternals;
  if (typeof backend.uploadToGPU !== 'function' || typeof backend.ensureCommandEncoderReady !== 'function') return false;
  const [batch, heads, capacity, headDim] = buffer.shape;
  const steps = update.shape[1];
  const columns = tf.transpose(update, [0, 2, 1, 3]);
  backend.uploadToGPU(buffer.dataId);
  backend.uploadToGPU(columns.dataId);
  const target = backend.tensorMap.get(buffer.dataId)?.resource;
  const source = backend.tensorMap.get(columns.dataId)?.resource;
  if (target === undefined || source === undefined) {
    columns.dispose();
    return false;
  }
  // Both buffers stay alive until the queue is submitted, whatever is disposed meanwhile.
  backend.commandQueueOwnedIds.add(buffer.dataId);
  backend.commandQueueOwnedIds.add(columns.dataId);
  backend.ensureCommandEncoderReady();
  backend.endComputePassEncoder();
  const bytes = steps * headDim * 4;
  for (let row = 0; row < batch * heads; row++) {
    backend.commandEncoder.copyBufferToBuffer(source, row * bytes, target, ((row * capacity + start) * headDim) * 4, bytes);
  }
  columns.dispose();
  return true;
}
