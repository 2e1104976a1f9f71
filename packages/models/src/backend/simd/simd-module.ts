import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type * as tf from '@tensorflow/tfjs-core';
import { kernelsWasmBase64, relaxedKernelsWasmBase64, relaxedThreadedKernelsWasmBase64, threadedKernelsWasmBase64 } from './kernels-binary';

/** The exports of kernels.c; every pointer is a byte offset into the tfjs wasm heap. */
export interface SimdKernels {
  batch_matmul_scratch(): number;
  rms_norm(x: number, weight: number, out: number, rows: number, cols: number, eps: number): void;
  swiglu(gateUp: number, out: number, rows: number, inner: number): void;
  llama_layer_scratch(rows: number, hidden: number, heads: number, kvHeads: number, headDim: number, inner: number, capacity: number): number;
  llama_layer(...args: number[]): void;
  llama_step_scratch(batch: number, hidden: number, heads: number, kvHeads: number, headDim: number, inner: number, capacity: number): number;
  llama_step(...args: number[]): void;
  cached_attention(
    qkv: number,
    positions: number,
    cos: number,
    sin: number,
    keys: number,
    values: number,
    bias: number,
    out: number,
    batch: number,
    steps: number,
    heads: number,
    kvHeads: number,
    headDim: number,
    capacity: number,
    start: number,
    scratch: number,
  ): void;
  batch_matmul(a: number, b: number, out: number, batchA: number, batchB: number, m: number, k: number, n: number, transA: number, transB: number, scratch: number): void;
  /** Part `part` of `parts` of batch_matmul's output rows, bit-identical to the whole call. */
  batch_matmul_part(...args: number[]): void;
}

interface EmscriptenModule {
  readonly asm?: { readonly memory?: unknown };
  readonly HEAPU8: Uint8Array;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
}

interface WasmBackendInternals {
  readonly wasm: EmscriptenModule;
  readonly dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
}

/** The part of the WebAssembly API used here (the project's `lib` has no DOM types). */
interface WebAssemblyApi {
  readonly Memory: abstract new (...args: never[]) => object;
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: object };
  validate(bytes: Uint8Array): boolean;
}

const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

/** Which build of kernels.c runs: with fused multiply-add (relaxed SIMD) or plain SIMD. */
export type KernelBuild = 'relaxed-simd' | 'simd';

const builds = new Map<boolean, { readonly build: KernelBuild; readonly bytes: Uint8Array }>();

/**
 * The build of kernels.c this runtime runs, for the tfjs heap or (`threaded`) a shared memory:
 * the relaxed-SIMD one (f32x4.relaxed_madd, an FMA on CPUs that have one) where the engine
 * validates it — Node 22 and later, Node 20 with --experimental-wasm-relaxed-simd — else the
 * plain SIMD one. RLGF_WASM_FMA=off keeps the plain build (the same bits as runtimes without
 * relaxed SIMD). Heap and shared builds of one kind do the same arithmetic.
 */
export function kernelBuild(threaded: boolean): { readonly build: KernelBuild; readonly bytes: Uint8Array } {
  let chosen = builds.get(threaded);
  if (chosen === undefined) {
    const relaxed = Buffer.from(threaded ? relaxedThreadedKernelsWasmBase64 : relaxedKernelsWasmBase64, 'base64');
    chosen =
      process.env['RLGF_WASM_FMA'] !== 'off' && webAssembly.validate(relaxed)
        ? { build: 'relaxed-simd', bytes: relaxed }
        : { build: 'simd', bytes: Buffer.from(threaded ? threadedKernelsWasmBase64 : kernelsWasmBase64, 'base64') };
    builds.set(threaded, chosen);
  }
  return chosen;
}

const instances = new WeakMap<object, SimdKernels | null>();

/**
 * This package's SIMD kernels, instantiated once per wasm backend on the backend's own memory
 * (so they work on tensors in place), or undefined when the backend does not expose its memory
 * or the engine lacks wasm SIMD; callers then keep the backend's own kernels.
 */
export function simdKernels(backend: BackendWasm): SimdKernels | undefined {
  let kernels = instances.get(backend);
  if (kernels === undefined) {
    kernels = instantiate(backend);
    instances.set(backend, kernels);
  }
  return kernels ?? undefined;
}

function instantiate(backend: BackendWasm): SimdKernels | null {
  const memory = (backend as unknown as WasmBackendInternals).wasm.asm?.memory;
  if (!(memory instanceof webAssembly.Memory)) return null;
  const { bytes } = kernelBuild(false);
  if (!webAssembly.validate(bytes)) return null;
  const instance = new webAssembly.Instance(new webAssembly.Module(bytes), { env: { memory } });
  return instance.exports as unknown as SimdKernels;
}

/** A float view of `length` floats at byte `offset` of the wasm heap (made afresh: the heap grows). */
export function heapFloats(backend: BackendWasm, offset: number, length: number): Float32Array {
  return new Float32Array((backend as unknown as WasmBackendInternals).wasm.HEAPU8.buffer, offset, length);
}

/** Byte offset of a tensor's data in the wasm heap. */
export function heapOffset(backend: BackendWasm, tensor: tf.TensorInfo): number {
  const entry = (backend as unknown as WasmBackendInternals).dataIdMap.get(tensor.dataId);
  if (entry === undefined) throw new Error('tensor data is not on the wasm backend');
  return entry.memoryOffset;
}

const scratchOffsets = new WeakMap<object, { bytes: number; pointer: number }>();

/**
 * A scratch block of at least `bytes` on the heap of `backend`, kept for the backend's lifetime
 * (kernels pack operands there; allocating per call would cost a malloc per product).
 */
export function scratchBlock(backend: BackendWasm, bytes: number): number {
  const existing = scratchOffsets.get(backend);
  if (existing !== undefined && existing.bytes >= bytes) return existing.pointer;
  const module = (backend as unknown as WasmBackendInternals).wasm;
  if (existing !== undefined) module._free(existing.pointer);
  const pointer = module._malloc(bytes);
  scratchOffsets.set(backend, { bytes, pointer });
  return pointer;
}
