import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

interface SegmentSumInputs {
  readonly x: tf.TensorInfo;
  readonly segmentIds: tf.TensorInfo;
}

/**
 * Adds the rows of `x` into the output rows named by `segmentIds` (the gradient of `tf.gather`).
 * Rows are contiguous on the wasm heap, so this is one pass of typed-array additions.
 */
function unsortedSegmentSumWasm(args: { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: tf.NamedAttrMap }) {
  const { x, segmentIds } = args.inputs as unknown as SegmentSumInputs;
  const backend = args.backend as BackendWasm;
  const numSegments = Number(args.attrs?.['numSegments']);
  const rowSize = tf.util.sizeFromShape(x.shape.slice(segmentIds.shape.length));
  const out = backend.makeOutput([numSegments, ...x.shape.slice(segmentIds.shape.length)], x.dtype);
  // Views are taken after the allocation above, which may grow (and move) the heap.
  const result = backend.typedArrayFromHeap(out);
  const values = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds);
  result.fill(0);
  for (let row = 0; row < ids.length; row++) {
    const segment = ids[row];
    if (segment < 0 || segment >= numSegments) continue;
    const from = row * rowSize;
    const to = segment * rowSize;
    for (let i = 0; i < rowSize; i++) result[to + i] += values[from + i];
  }
  return out;
}

/**
 * The wasm backend ships no `UnsortedSegmentSum`, so `tf.gather` (embeddings) has no gradient
 * there. Registering this kernel gives it one; idempotent.
 */
export function registerWasmSegmentSum(): void {
  if (tf.getKernel('UnsortedSegmentSum', 'wasm') !== undefined) return;
  tf.registerKernel({ kernelName: 'UnsortedSegmentSum', backendName: 'wasm', kernelFunc: unsortedSegmentSumWasm });
}
