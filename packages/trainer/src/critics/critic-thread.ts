import type { GenerateRequestV1, GenerateResultV1 } from '@rlgf/contracts';
import { resolveInstalled } from '@rlgf/core';
import type { AdamWState, BackendName, TokenizerFiles, WeightMap } from '@rlgf/models';
import type { Recipe } from '@rlgf/recipe';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CriticRole } from '../algorithms/iteration-plan';
import type { CriticAccess } from './critic-access';
import { reviveError, type CriticReply, type CriticRequest } from './critic-thread-protocol';

// Loads the worker's module: through tsx's loader when the package runs from its TypeScript
// sources (as the CLI does), directly when it was built to JavaScript. Plain CommonJS: it runs as given.
const bootstrap = `
const { workerData } = require('node:worker_threads');
const { pathToFileURL } = require('node:url');
(async () => {
  if (workerData.tsx !== undefined) (await import(pathToFileURL(workerData.tsx).href)).register();
  await import(pathToFileURL(workerData.entry).href);
})();
`;

/** Where the worker's module is, and tsx's loader when it is TypeScript; undefined when it cannot be found. */
export function criticWorkerFiles(): { entry: string; tsx?: string } | undefined {
  const index = resolveInstalled('@rlgf/trainer');
  if (index === undefined) return undefined;
  const entry = join(dirname(index), 'critics', `critic-thread-worker${extname(index)}`);
  if (!existsSync(entry)) return undefined;
  if (extname(entry) !== '.ts') return { entry };
  try {
    const tsxPackage = createRequire(index).resolve('tsx/package.json');
    const exported = (JSON.parse(readFileSync(tsxPackage, 'utf8')) as { exports: Record<string, { import?: string | { default: string } }> }).exports['./esm/api']?.import;
    const api = typeof exported === 'string' ? exported : exported?.default;
    return api === undefined ? undefined : { entry, tsx: join(dirname(tsxPackage), api) };
  } catch {
    return undefined;
  }
}

/** The buffers of `arrays` that can move to another thread: whole buffers only, each once (a view into a larger buffer is copied, not moved). */
function wholeBuffers(arrays: readonly ArrayBufferView[]): ArrayBuffer[] {
  return [...new Set(arrays.filter((data) => data.byteOffset === 0 && data.byteLength === data.buffer.byteLength).map((data) => data.buffer as ArrayBuffer))];
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** What a critic needs to move onto the thread, read from the learner's copy. */
export interface AdoptedCritic {
  readonly config: Readonly<Record<string, unknown>>;
  readonly tokenizerFiles: TokenizerFiles;
  readonly weights: WeightMap;
  readonly optimization: Recipe['optimization'];
  readonly optimizerState: AdamWState;
}

/**
 * Critics with separate trunks on a worker thread with its own TensorFlow.js backend: their value
 * steps and values run there while this thread works on the policy, so an update keeps two cores
 * busy. Requests run in order; their results are bit-identical to the same work on this thread
 * (the same kernels, on copies of the same weights and optimizer states).
 */
export class CriticThread {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private stopped?: Error;
  readonly roles = new Set<CriticRole>();

  private constructor(private readonly worker: Worker) {
    worker.unref();
    worker.on('message', (reply: CriticReply) => {
      const waiting = this.pending.get(reply.id);
      if (waiting === undefined) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.ok) waiting.resolve(reply.result);
      else waiting.reject(reviveError(reply.error));
    });
    const fail = (error: Error) => {
      this.stopped = error;
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    worker.on('error', (error) => fail(new Error(`the critic thread failed: ${error.message}`, { cause: error })));
    worker.on('exit', (code) => fail(new Error(`the critic thread stopped (exit code ${code})`)));
  }

  /**
   * Starts the thread on `backend` with `threads` kernel threads of its own; fails (and ends the
   * thread) when it is not ready within `timeoutMs`.
   */
  static async start(options: { readonly backend: BackendName; readonly threads: number; readonly files: { entry: string; tsx?: string }; readonly timeoutMs?: number }): Promise<CriticThread> {
    const thread = new CriticThread(new Worker(bootstrap, { eval: true, workerData: options.files }));
    const timeoutMs = options.timeoutMs ?? 60_000;
    let timer: NodeJS.Timeout | undefined;
    const started = thread.request({ op: 'start', backend: options.backend, threads: options.threads });
    started.catch(() => undefined); // a start that loses the race to the timeout fails when the thread ends
    try {
      await Promise.race([
        started,
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error(`the critic thread did not start within ${timeoutMs / 1000} s`)), timeoutMs);
        }),
      ]);
    } catch (error) {
      await thread.close(0);
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return thread;
  }

  /** Sends `request`; the buffers in `transfer` move to the thread (unusable here afterwards) instead of being copied. */
  private request<T>(request: CriticRequest, transfer: readonly ArrayBuffer[] = []): Promise<T> {
    if (this.stopped) return Promise.reject(this.stopped);
    const id = this.nextId++;
    this.worker.ref();
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.worker.postMessage({ id, request }, [...transfer]);
    });
  }

  /**
   * Takes over the critic of `role`. Its weights and moments move to the thread rather than being
   * copied (a whole model's worth of memory less at the peak): the arrays in `critic` are
   * unusable afterwards, and the caller disposes its own copy of the critic.
   */
  async adopt(role: CriticRole, critic: AdoptedCritic): Promise<void> {
    const arrays = [...critic.weights.values(), ...critic.optimizerState.first, ...critic.optimizerState.second].map((tensor) => tensor.data);
    await this.request({ op: 'adopt', role, ...critic }, wholeBuffers(arrays));
    this.roles.add(role);
  }

  access(role: CriticRole): CriticAccess {
    return {
      concurrent: true,
      values: (rows, width, chunkRows) => this.request({ op: 'values', role, rows, width, chunkRows }),
      step: (minibatch, settings) => this.request({ op: 'step', role, minibatch, settings }),
    };
  }

  /** Replaces the `to` critic with a copy of the `from` critic and a fresh optimizer. */
  async copy(from: CriticRole, to: CriticRole): Promise<void> {
    await this.request({ op: 'copy', from, to });
    this.roles.add(to);
  }

  /** Writes the critic's checkpoint files into `dir`, as the learner writes a critic of its own. */
  save(dir: string, role: CriticRole): Promise<void> {
    return this.request({ op: 'save', role, dir });
  }

  /**
   * Replaces the thread's copy of the policy with one holding `weights`, for {@link generate} and {@link scoreTokens}.
   * Copied, not moved: on the cpu backend a weight's host array can be the tensor's own storage.
   */
  holdPolicy(copy: { readonly config: Readonly<Record<string, unknown>>; readonly tokenizerFiles: TokenizerFiles; readonly weights: WeightMap }): Promise<void> {
    return this.request({ op: 'policy', ...copy });
  }

  /** Generates with the thread's copy of the policy: the same result as the policy here. */
  generate(request: GenerateRequestV1): Promise<GenerateResultV1> {
    return this.request({ op: 'generate', request });
  }

  /** Per-token log-probs from the thread's copy of the policy: the same as `scoreTokens` here. */
  scoreTokens(promptIds: readonly (readonly number[])[], targetIds: readonly (readonly number[])[]): Promise<number[][]> {
    return this.request({ op: 'score', promptIds, targetIds });
  }

  /** The critic's weights (trunk and head). */
  weights(role: CriticRole): Promise<WeightMap> {
    return this.request({ op: 'weights', role });
  }

  /** Frees the critics and ends the thread (at once if it does not answer within `graceMs`). */
  async close(graceMs = 5_000): Promise<void> {
    if (!this.stopped) {
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
      });
      await Promise.race([this.request({ op: 'close' }).catch(() => undefined), grace]);
      clearTimeout(timer);
    }
    await this.worker.terminate();
  }
}
