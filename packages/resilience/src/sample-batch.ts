import { InvalidArgumentError, type GuideGenerateOptionsV1 } from '@rlgf/contracts';
import { setMaxListeners } from 'node:events';
import type { Clock } from './clock';
import { createDeadline, type Deadline } from './deadline';
import { linkSignals } from './linked-signal';

/**
 * Refuses a guide request a text endpoint cannot send, naming the field: a `maxNewTokens` that is
 * not a whole number ≥ 1, an input without prompt text, or a prefix that is not text.
 */
export function checkTextGuideRequest(request: GuideGenerateOptionsV1): void {
  const { inputs, maxNewTokens } = request;
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < 1) {
    throw new InvalidArgumentError({ argument: 'maxNewTokens', value: maxNewTokens, expected: 'an integer >= 1' });
  }
  inputs.forEach((input, i) => {
    if (typeof input?.promptText !== 'string') throw new InvalidArgumentError({ argument: `inputs[${i}].promptText`, value: input?.promptText, expected: 'a string' });
    if (input.prefixText !== undefined && typeof input.prefixText !== 'string') {
      throw new InvalidArgumentError({ argument: `inputs[${i}].prefixText`, value: input.prefixText, expected: 'a string or nothing' });
    }
  });
}

/** What one sample's call gets from the batch it belongs to. */
export interface SampleContext {
  /** The batch's deadline, shared by every sample. */
  readonly deadline: Deadline;
  /** Aborted when the caller aborts or a sample stops the batch. */
  readonly signal: AbortSignal;
  /** Stops the other samples; the batch then throws `reason` (a `fail` mode's first lasting failure). */
  stop(reason: unknown): void;
  /** Whether some sample stopped the batch already. */
  readonly stopped: boolean;
}

/**
 * Runs `run` for samples 0 … count − 1 concurrently under one deadline, and returns their results
 * in order. The caller's abort reason is thrown first, then the reason a sample stopped the batch
 * with, then the first sample that threw. Remote guides send one request per sample, so that one
 * slow or failing sample costs only itself.
 */
export async function runSampleBatch<T>(
  count: number,
  options: { readonly deadlineMs: number; readonly clock: Clock; readonly abortSignal?: AbortSignal },
  run: (index: number, context: SampleContext) => Promise<T>,
): Promise<T[]> {
  const deadline = createDeadline(options.deadlineMs, options.clock);
  const stop = new AbortController();
  const batch = linkSignals([options.abortSignal, stop.signal]);
  // Every sample listens to these two signals: many listeners by design, not a leak (Node warns
  // past 10 per signal).
  setMaxListeners(count + 10, batch.signal, deadline.signal);
  const context: SampleContext = {
    deadline,
    signal: batch.signal,
    stop: (reason) => stop.abort(reason),
    get stopped() {
      return stop.signal.aborted;
    },
  };
  try {
    const outcomes = await Promise.allSettled(Array.from({ length: count }, (_, index) => run(index, context)));
    if (options.abortSignal?.aborted) throw options.abortSignal.reason;
    if (stop.signal.aborted) throw stop.signal.reason;
    return outcomes.map((result) => {
      if (result.status === 'rejected') throw result.reason;
      return result.value;
    });
  } finally {
    batch.dispose();
    deadline.dispose();
  }
}
