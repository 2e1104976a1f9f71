import type { ContinuationRow, Critic } from '@rlgf/models';
import type { StepResult } from '../update/optimizer-step';

/** One minibatch of a value step, on the host, so that it can go to a critic on another thread. */
export interface ValueMinibatch {
  readonly rows: readonly ContinuationRow[];
  /** Continuation tokens per row (the training batch's width). */
  readonly width: number;
  /** Values, returns and value mask per row and token, [rows][width]. */
  readonly oldValues: readonly (readonly number[])[];
  readonly returns: readonly (readonly number[])[];
  readonly valueMask: readonly (readonly number[])[];
}

export interface ValueStepSettings {
  readonly learningRate: number;
  readonly maxGradNorm: number;
  readonly valueCoef: number;
  readonly clipRangeValue: number;
  /** The iteration as messages number it, from 1. */
  readonly iteration: number;
}

/**
 * A critic as scoring and the update use it, wherever it lives: on this thread (`LocalCritic`) or
 * on a thread of its own (`CriticThread`), where its steps run while this thread steps the policy.
 */
export interface CriticAccess {
  /**
   * True when its work runs on another thread: callers then ask for it first and do their own
   * meanwhile. A critic on this thread is asked after the caller's own work, so that the two never
   * hold their intermediate tensors at once.
   */
  readonly concurrent?: boolean;
  /**
   * The critic itself when its head sits on the policy's trunk: the policy's step then trains
   * it with the policy (one combined loss), and only value-only minibatches go through `step`.
   */
  readonly onPolicyTrunk?: Critic;
  /** Values V(s_j) before each continuation token, [rows][width], without gradients. */
  values(rows: readonly ContinuationRow[], width: number, chunkRows: number): Promise<number[][]>;
  /** One optimizer step on the minibatch's clipped value loss (scaled by `valueCoef`). */
  step(minibatch: ValueMinibatch, settings: ValueStepSettings): Promise<StepResult>;
}

/**
 * Schedules a critic's `work` around the caller's own: started now when the critic runs on
 * another thread (it works while the caller does), else when the returned function is called,
 * after the caller's work (see {@link CriticAccess.concurrent}). Call the result once.
 */
export function besideCaller<T>(critic: CriticAccess, work: () => Promise<T>): () => Promise<T> {
  if (!critic.concurrent) return work;
  const started = work();
  started.catch(() => undefined); // awaited by the caller; this keeps an early failure from counting as unhandled
  return () => started;
}
