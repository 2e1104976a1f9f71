import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { CpuBackendLike, KernelArgs } from './kernel-types';

interface SegmentSumInputs {
  readonly x: tf.TensorInfo;
  readonly segmentIds: tf.TensorInfo;
}

/** Adds row i of `values` into row `ids[i]` of `out` (rows of `rowSize`); ids out of range are skipped. */
export function addRowsBySegment(values: ArrayLike<number>, ids: ArrayLike<number>, rowSize: number, numSegments: number, out: Float32Array | Int32Array): void {
  out.fill(0);
  for (let row = 0; row < ids.length; row++) {
    const segment = ids[row];
    if (segment < 0 || segment >= numSegments) continue;
    const from = row * rowSize;
    const to = segment * rowSize;
    for (let i = 0; i < rowSize; i++) out[to + i] += values[from + i];
  }
}

function shapes(args: KernelArgs) {
  const { x, segmentIds } = args.inputs as unknown as SegmentSumInputs;
  const numSegments = Number(args.attrs?.['numSegments']);
  const rowShape = x.shape.slice(segmentIds.shape.length);
  return { x, segmentIds, numSegments, rowShape, rowSize: tf.util.sizeFromShape(rowShape) };
}

/** Rows are contiguous on the wasm heap: one pass of typed-array additions, no copies. */
function unsortedSegmentSumWasm(args: KernelArgs) {
  const { x, segmentIds, numSegments, rowShape, rowSize } = shapes(args);
  const backend = args.backend as BackendWasm;
  const out = backend.makeOutput([numSegments, ...rowShape], x.dtype);
  // Views are taken after the allocation above, which may grow (and move) the heap.
  const result = backend.typedArrayFromHeap(out) as Float32Array | Int32Array;
  addRowsBySegment(backend.typedArrayFromHeap(x), backend.typedArrayFromHeap(segmentIds), rowSize, numSegments, result);
  return out;
}

/** The cpu backend's own kernel runs one masked pass per segment: minutes for a 50k vocabulary. */
function unsortedSegmentSumCpu(args: KernelArgs) {
  const { x, segmentIds, numSegments, rowShape, rowSize } = shapes(args);
  const backend = args.backend as CpuBackendLike;
  const values = backend.data.get(x.dataId).values as ArrayLike<number>;
  const ids = backend.data.get(segmentIds.dataId).values as ArrayLike<number>;
  const result = x.dtype === 'int32' ? new Int32Array(numSegments * rowSize) : new Float32Array(numSegments * rowSize);
  addRowsBySegment(values, ids, rowSize, numSegments, result);
  return backend.makeTensorInfo([numSegments, ...rowShape], x.dtype, result);
}

const kernels = { wasm: unsortedSegmentSumWasm, cpu: unsortedSegmentSumCpu } as const;

/**
 * Gives `tf.gather` (embeddings) a fast gradient: wasm ships no `UnsortedSegmentSum` kernel, and
 * the cpu one is quadratic in the vocabulary. Replaces the kernel of `backend`; idempotent.
 */
export function registerSegmentSum(backend: keyof typeof kernels): void {
  const kernelFunc = kernels[backend];
  const existing = tf.getKernel('UnsortedSegmentSum', backend);
  if (existing?.kernelFunc === kernelFunc) return;
  if (existing !== undefined) tf.unregisterKernel('UnsortedSegmentSum', backend);
  tf.registerKernel({ kernelName: 'UnsortedSegmentSum', backendName: backend, kernelFunc });
}
