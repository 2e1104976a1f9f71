import type { LanguageModelV1 } from '@rlgf/contracts';

/** A copy of the policy with its current weights (on a thread of its own): the same answers as the policy, bit for bit. */
export type PolicyCopy = Pick<LanguageModelV1, 'generate' | 'scoreTokens'>;

/**
 * Copies of the policy that work beside it. `beside` runs this thread's share of the work while
 * a copy works (on its share of the kernel threads, so that together they ask for no more
 * threads than the run has).
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
 * The policy as a {@link LanguageModelV1} whose `generate` and `scoreTokens` calls are shared
 * with `copies`: calls made at the same time run at the same time, one on each copy and one
 * here, and each call runs whole on one of them, so every answer is the one the policy alone
 * gives. Calls run in the order they are made. A call made alone runs here, on all of this
 * thread's kernel threads. Without copies, calls run here one at a time (so several calls at
 * once cost the memory of one).
 */
export function sharePolicy(policy: LanguageModelV1, copies?: PolicyCopies): LanguageModelV1 {
  const waiting: Job[] = [];
  const idleCopies = [...(copies?.copies ?? [])];
  const busyCopies = new Set<PolicyCopy>();
  let hereServing = false;

  // Through an async function: a model that throws before its first await still answers the call.
  const runOn = async (job: Job, model: PolicyCopy) => job.run(model);
  const settle = (job: Job, answer: Promise<unknown>) => answer.then(job.resolve, job.reject);

  const serveHere = async () => {
    hereServing = true;
    try {
      while (waiting.length > 0) {
        await nextTurn();
        const job = waiting.shift();
        if (job === undefined) break;
        // With a copy at work, this thread keeps to its share of the kernel threads.
        await settle(job, copies !== undefined && busyCopies.size > 0 ? copies.beside(() => runOn(job, policy)) : runOn(job, policy));
      }
    } finally {
      hereServing = false;
    }
  };

  const dispatch = () => {
    // A copy takes a job when this thread has work of its own or more than one job waits: a
    // job alone runs here on all the threads.
    while (idleCopies.length > 0 && waiting.length > 0 && (hereServing || waiting.length > 1)) {
      const copy = idleCopies.shift() as PolicyCopy;
      const job = waiting.shift() as Job;
      busyCopies.add(copy);
      void settle(job, runOn(job, copy)).finally(() => {
        busyCopies.delete(copy);
        idleCopies.push(copy);
        dispatch();
      });
    }
    if (!hereServing && waiting.length > 0) void serveHere();
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
