import { Worker } from 'node:worker_threads';
import { kernelBuild, type SimdKernels } from '../simd/simd-module';

/** The part of the WebAssembly API used here (the project's `lib` has no DOM types). */
interface WebAssemblyApi {
  readonly Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => SharedMemory;
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: object };
}

interface SharedMemory {
  readonly buffer: SharedArrayBuffer;
  grow(pages: number): number;
}

const webAssembly = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
const pageBytes = 65536;
/** Int32 slots per thread in the control block: [go, done, ...13 arguments]. */
const slot = 16;

// Each worker runs batch_matmul_part on the shared memory whenever its `go` counter moves, then
// publishes the counter in `done`. A negative `go` ends it. Plain CommonJS: it runs as given.
const workerSource = `
const { workerData } = require('node:worker_threads');
const { memory, control, bytes, index } = workerData;
const kernels = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
const ctl = new Int32Array(control);
const base = index * ${slot};
Atomics.store(ctl, base + 1, 0);
Atomics.notify(ctl, base + 1);
let seen = 0;
for (;;) {
  Atomics.wait(ctl, base, seen);
  seen = Atomics.load(ctl, base);
  if (seen < 0) break;
  const a = ctl.slice(base + 2, base + 15);
  kernels.batch_matmul_part(a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8], a[9], a[10], a[11], a[12]);
  Atomics.store(ctl, base + 1, seen);
  Atomics.notify(ctl, base + 1);
}
`;

/**
 * `threads` copies of the threaded kernels on one shared WebAssembly memory: this thread and
 * `threads - 1` workers (unref'd: they never keep the process alive). A product runs as
 * `threads` parts of its output rows, this thread taking part 0, and waits for the others; the
 * parts are bit-identical to one whole call, so the thread count never changes results.
 */
export class KernelThreads {
  readonly memory: SharedMemory;
  private readonly kernels: SimdKernels;
  private readonly workers: Worker[] = [];
  private readonly control: Int32Array;
  private readonly scratchBytes: number;
  private generation = 0;

  constructor(readonly threads: number) {
    const { bytes } = kernelBuild(true);
    const module = new webAssembly.Module(bytes);
    this.memory = new webAssembly.Memory({ initial: 32, maximum: 65536, shared: true });
    this.kernels = new webAssembly.Instance(module, { env: { memory: this.memory } }).exports as unknown as SimdKernels;
    this.scratchBytes = this.kernels.batch_matmul_scratch() * 4;
    this.control = new Int32Array(new SharedArrayBuffer(threads * slot * 4));
    for (let index = 1; index < threads; index++) {
      this.control[index * slot + 1] = -1;
      const worker = new Worker(workerSource, { eval: true, workerData: { memory: this.memory, control: this.control.buffer, bytes, index } });
      worker.unref();
      this.workers.push(worker);
    }
    // Wait (bounded) until every worker has its module: a worker that cannot start is an error here,
    // not a hang inside a product.
    for (let index = 1; index < threads; index++) {
      if (Atomics.wait(this.control, index * slot + 1, -1, 30_000) === 'timed-out') {
        this.dispose();
        throw new Error(`kernel thread ${index} did not start within 30 s`);
      }
    }
  }

  /**
   * Reserves the shared memory for a product: every thread's scratch, then `floats` operand
   * floats; returns the byte offset of the operand area.
   */
  reserve(floats: number): number {
    const operands = this.threads * this.scratchBytes;
    const needed = operands + floats * 4;
    const have = this.memory.buffer.byteLength;
    if (needed > have) this.memory.grow(Math.ceil((needed - have) / pageBytes));
    return operands;
  }

  /** A float view of the shared memory (made afresh: growing replaces the buffer). */
  floats(byteOffset: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, byteOffset, length);
  }

  /**
   * batch_matmul split into `parts` (at most the pool's threads: default all of them); pointers
   * are byte offsets into the shared memory.
   */
  batchMatMul(a: number, b: number, out: number, batchA: number, batchB: number, m: number, k: number, n: number, transA: number, transB: number, parts = this.threads): void {
    if (!(Number.isInteger(parts) && parts >= 1 && parts <= this.threads)) throw new RangeError(`a product split into ${parts} parts on ${this.threads} kernel threads`);
    const generation = ++this.generation;
    for (let index = 1; index < parts; index++) {
      const base = index * slot;
      this.control.set([a, b, out, batchA, batchB, m, k, n, transA, transB, index * this.scratchBytes, index, parts], base + 2);
      Atomics.store(this.control, base, generation);
      Atomics.notify(this.control, base);
    }
    this.kernels.batch_matmul_part(a, b, out, batchA, batchB, m, k, n, transA, transB, 0, 0, parts);
    for (let index = 1; index < parts; index++) {
      const done = index * slot + 1;
      let seen = Atomics.load(this.control, done);
      let waitedSeconds = 0;
      while (seen !== generation) {
        // A worker that died (out of memory) never answers: fail after 10 minutes instead of hanging.
        if (Atomics.wait(this.control, done, seen, 10_000) === 'timed-out' && (waitedSeconds += 10) >= 600) {
          throw new Error(`kernel thread ${index} did not finish its part of a product within 10 minutes (run with --threads 1 to avoid threads)`);
        }
        seen = Atomics.load(this.control, done);
      }
    }
  }

  dispose(): void {
    for (let index = 1; index < this.threads; index++) {
      Atomics.store(this.control, index * slot, -1);
      Atomics.notify(this.control, index * slot);
    }
    for (const worker of this.workers) void worker.terminate();
    this.workers.length = 0;
  }
}

let pool: KernelThreads | undefined;

/**
 * The process's kernel threads, at least `threads` of them: made on first use and remade only to
 * grow, so that a count that changes back and forth (an update's share of the cores beside a
 * critic thread, then all of them again) reuses one pool and splits into fewer parts.
 */
export function kernelThreads(threads: number): KernelThreads {
  if (pool === undefined || pool.threads < threads) {
    pool?.dispose();
    pool = new KernelThreads(threads);
  }
  return pool;
}
