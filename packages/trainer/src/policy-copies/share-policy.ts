import type { LanguageModelV1 } from '@rlgf/contracts';

/** A copy of the policy with its current weights (on a thread of its own): the same answers as the policy, bit for bit. */
export type PolicyCopy = Pick<LanguageModelV1, 'generate' | 'scoreTokens'>;

/**
 * Copies of the policy that work beside it. A copy may be given its next call before it answers
 * the one it works on, and runs them in order (a thread's queue does). `beside` runs this
 * thread's share of the work while a copy works (on its share of the kernel threads, so that
 * together they ask for no more threads than the run has).
 */
export interface PolicyCopies {
  readonly copies: readonly PolicyCopy[];
  beside<T>(work: () => Promise<T>): Promise<T>;
}

interface Job {
  run(model: PolicyCopy): Promise<unknown>;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

// A turn of the event loop: a copy's answer is a message, handled only between turns, and this
// thread's work runs without yielding (TensorFlow.js kernels are synchronous). Without it this
// thread would take every job that waits while a copy's answer sits unread.
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Calls a copy holds at once: the one it works on and the next, already sent, which it starts
 * without waiting for this thread to read its last answer (this thread reads it only between its
 * own calls, which take as long as the copy's).
 */
const callsPerCopy = 2;

/**
 * The policy as a {@link LanguageModelV1} whose `generate` and `scoreTokens` calls are shared
 * with `copies`: calls made at the same time run at the same time, here and on each copy, and
 * each call runs whole on one of them, so every answer is the one the policy alone gives. A copy
 * is given up to two calls at a time and runs them in order (as a thread's queue does). A call
 * made alone runs here, on all of this thread's kernel threads. Without copies, calls run here one
 * at a time (so several calls at once cost the memory of one).
 */
export function sharePolicy(policy: LanguageModelV1, copies?: PolicyCopies): LanguageModelV1 {
  const waiting: Job[] = [];
  const held = new Map<PolicyCopy, number>((copies?.copies ?? []).map((copy) => [copy, 0]));
  // `turn`: this thread will take the next waiting job after a turn of the event loop.
  let here: 'idle' | 'turn' | 'working' = 'idle';

  // Through an async function: a model that throws before its first await still answers the call.
  const runOn = async (job: Job, model: PolicyCopy) => job.run(model);
  const settle = (job: Job, answer: Promise<unknown>) => answer.then(job.resolve, job.reject);
  const copyAtWork = () => [...held.values()].some((calls) => calls > 0);

  const serveHere = async () => {
    try {
      while (waiting.length > 0) {
        here = 'turn';
        await nextTurn();
        const job = waiting.shift();
        if (job === undefined) break;
        here = 'working';
        // With a copy at work, this thread keeps to its share of the kernel threads.
        await settle(job, copies !== undefined && copyAtWork() ? copies.beside(() => runOn(job, policy)) : runOn(job, policy));
      }
    } finally {
      here = 'idle';
    }
  };

  /** Whether `copy`, holding `calls`, takes the next waiting job. */
  const copyTakes = (calls: number) => {
    if (calls >= callsPerCopy || waiting.length === 0) return false;
    // A job alone is this thread's unless it is at work (alone, it runs here on all the threads);
    // a copy's second call is one this thread would not get to first.
    if (calls === 0) return here === 'working' || waiting.length > 1;
    return waiting.length > (here === 'working' ? 0 : 1);
  };

  const dispatch = () => {
    if (here === 'idle' && waiting.length > 0) void serveHere();
    for (const [copy, calls] of held) {
      if (!copyTakes(calls)) continue;
      const job = waiting.shift() as Job;
      held.set(copy, calls + 1);
      void settle(job, runOn(job, copy)).finally(() => {
        held.set(copy, (held.get(copy) ?? 1) - 1);
        dispatch();
      });
      dispatch();
      return;
    }
  };

  const submit = <T>(run: (model: PolicyCopy) => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      waiting.push({ run, resolve: resolve as (value: unknown) => void, reject });
      dispatch();
    });

  return {
    specificationVersion: 'v1',
    info: policy.info,
    tokenizer: policy.tokenizer,
    generate: (request) => submit((model) => model.generate(request)),
    scoreTokens: (promptIds, targetIds) => submit((model) => model.scoreTokens(promptIds, targetIds)),
    dispose() {
      // A view: the run owns the policy and frees it.
    },
  };
}
