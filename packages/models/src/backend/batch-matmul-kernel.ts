import * as tf from '@tensorflow/tfjs-core';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { heapFloats, heapOffset, scratchBlock, simdKernels, type SimdKernels } from './simd/simd-module';
import { kernelThreads } from './threads/kernel-threads';
import { threadCount, threadingMinimumRows, threadingMinimumWork } from './threads/thread-count';
import type { KernelArgs } from './kernel-types';

type KernelFunc = (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[];

/** The shapes of `a · b` as the BatchMatMul kernel sees them, batch dimensions flattened. */
export interface ProductShape {
  readonly batchA: number;
  readonly batchB: number;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly outShape: number[];
}

/**
 * Flattened shapes of a (possibly transposed, possibly batched) product, or undefined when the
 * batch dimensions broadcast in a way other than "equal, or one side 1".
 */
export function productShape(aShape: readonly number[], bShape: readonly number[], transposeA: boolean, transposeB: boolean): ProductShape | undefined {
  const [aRows, aCols] = aShape.slice(-2);
  const [bRows, bCols] = bShape.slice(-2);
  const m = transposeA ? aCols : aRows;
  const k = transposeA ? aRows : aCols;
  const n = transposeB ? bRows : bCols;
  if ((transposeB ? bCols : bRows) !== k) return undefined;
  const outerA = aShape.slice(0, -2);
  const outerB = bShape.slice(0, -2);
  const batchA = tf.util.sizeFromShape(outerA);
  const batchB = tf.util.sizeFromShape(outerB);
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return undefined;
  let outer: number[];
  try {
    outer = tf.broadcast_util.assertAndGetBroadcastShape(outerA, outerB);
  } catch {
    return undefined;
  }
  return { batchA, batchB, m, k, n, outShape: [...outer, m, n] };
}

function simdBatchMatMul(kernels: SimdKernels, fallback: KernelFunc): KernelFunc {
  return (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const transposeA = Boolean(args.attrs?.['transposeA']);
    const transposeB = Boolean(args.attrs?.['transposeB']);
    const shape = productShape(a.shape, b.shape, transposeA, transposeB);
    // Every float32 product runs here, plain 2-D ones included (XNNPACK, the backend's own path,
    // is single-threaded and sums in another order): the results never depend on the thread count.
    if (shape === undefined || a.dtype !== 'float32' || b.dtype !== 'float32') return fallback(args);
    const backend = args.backend as BackendWasm;
    const { batchA, batchB, m, k, n } = shape;
    const out = backend.makeOutput(shape.outShape, 'float32');
    if (m * n === 0) return out;
    const threads = threadCount();
    // Threads pay where the product has rows enough to amortise copying its operands (a decoding
    // step's 1-3 rows would copy whole weight matrices to save a fraction of one pass over them).
    const rows = Math.max(batchA, batchB) * m;
    if (threads > 1 && rows >= threadingMinimumRows() && rows * n * k >= threadingMinimumWork()) {
      threadedProduct(backend, threads, { a, b, out }, shape, transposeA, transposeB);
      return out;
    }
    // The scratch block first: allocating may grow the heap, never moving existing offsets.
    const scratch = scratchBlock(backend, kernels.batch_matmul_scratch() * 4);
    kernels.batch_matmul(heapOffset(backend, a), heapOffset(backend, b), heapOffset(backend, out), batchA, batchB, m, k, n, Number(transposeA), Number(transposeB), scratch);
    return out;
  };
}

/**
 * The product on the kernel threads: operands copied from the tfjs heap into the threads' shared
 * memory (the tfjs heap cannot be shared), the output rows split over the threads, the result
 * copied back. The copies are O(m·k + k·n + m·n) against O(m·k·n) work.
 */
function threadedProduct(
  backend: BackendWasm,
  threads: number,
  tensors: { a: tf.TensorInfo; b: tf.TensorInfo; out: tf.TensorInfo },
  shape: ProductShape,
  transposeA: boolean,
  transposeB: boolean,
): void {
  const { batchA, batchB, m, k, n } = shape;
  const sizes = { a: batchA * m * k, b: batchB * k * n, out: Math.max(batchA, batchB) * m * n };
  const pool = kernelThreads(threads);
  const base = pool.reserve(sizes.a + sizes.b + sizes.out);
  const offsets = { a: base, b: base + sizes.a * 4, out: base + (sizes.a + sizes.b) * 4 };
  pool.floats(offsets.a, sizes.a).set(heapFloats(backend, heapOffset(backend, tensors.a), sizes.a));
  pool.floats(offsets.b, sizes.b).set(heapFloats(backend, heapOffset(backend, tensors.b), sizes.b));
  pool.batchMatMul(offsets.a, offsets.b, offsets.out, batchA, batchB, m, k, n, Number(transposeA), Number(transposeB), threads);
  heapFloats(backend, heapOffset(backend, tensors.out), sizes.out).set(pool.floats(offsets.out, sizes.out));
}

let registered: { readonly kernelFunc: KernelFunc; readonly original: KernelFunc } | undefined;

/**
 * Replaces the wasm backend's BatchMatMul by this package's SIMD kernel, which splits large
 * products over the kernel threads (`setThreads`) with results independent of the thread count;
 * the backend's generic code ran batched and transposed products at ~2 GFLOP/s. Needs the wasm backend to be initialised; idempotent; a no-op
 * where the kernels cannot load (the backend's own kernel stays).
 */
export function registerSimdBatchMatMul(backend: BackendWasm): void {
  const existing = tf.getKernel('BatchMatMul', 'wasm');
  if (existing === undefined || existing.kernelFunc === registered?.kernelFunc) return;
  const kernels = simdKernels(backend);
  if (kernels === undefined) return;
  const original = existing.kernelFunc as unknown as KernelFunc;
  registered = { original, kernelFunc: simdBatchMatMul(kernels, original) };
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({ ...existing, kernelFunc: registered.kernelFunc as unknown as tf.KernelFunc });
}

/** True while the SIMD kernel is the registered wasm BatchMatMul. */
export function simdBatchMatMulActive(): boolean {
  return registered !== undefined && tf.getKernel('BatchMatMul', 'wasm')?.kernelFunc === registered.kernelFunc;
}

/** Puts the backend's own BatchMatMul back (tests compare against it). */
export function unregisterSimdBatchMatMul(): void {
  const existing = tf.getKernel('BatchMatMul', 'wasm');
  if (registered === undefined || existing?.kernelFunc !== registered.kernelFunc) return;
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({ ...existing, kernelFunc: registered.original as unknown as tf.KernelFunc });
  registered = undefined;
}
