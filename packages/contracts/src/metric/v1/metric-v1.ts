import type { LanguageModelV1 } from '../../model/v1/language-model-v1';
import type { WarningV1 } from '../../shared/v1/warning-v1';

export interface MetricItemV1 {
  readonly prediction: string;
  readonly references: readonly string[];
  readonly prompt?: string;
  /** The task sample's `meta` (e.g. CommonGen concepts for coverage). */
  readonly meta?: Readonly<Record<string, unknown>>;
}

export interface MetricComputeOptionsV1 {
  readonly items: readonly MetricItemV1[];
  /** Also return per-item scores (costs memory on large sets). */
  readonly perItem?: boolean;
  readonly abortSignal?: AbortSignal;
  /**
   * The policy as it is at this evaluation, when a training run evaluates: a metric of the policy
   * uses it rather than `context.policyModel`. Calls made at the same time may run at the same
   * time (on copies of the policy on other threads), so a metric with several batches to score
   * keeps a few in flight (`perplexity` keeps three).
   */
  readonly policy?: LanguageModelV1;
}

export interface MetricResultV1 {
  /**
   * Corpus-level scores by name (a metric may report several: `bleu-1` … `bleu-4`, `rouge1` …).
   * Names are stable: they become column names in tracking files.
   */
  readonly corpus: Readonly<Record<string, number>>;
  /** Per-item scores by the same names, aligned with `items`, when `perItem` was asked. */
  readonly perItem?: Readonly<Record<string, readonly number[]>>;
  readonly warnings: readonly WarningV1[];
}

/** A corpus-level evaluation metric. */
export interface MetricV1 {
  readonly specificationVersion: 'v1';
  readonly id: string;
  /** The reference implementation this metric reproduces, e.g. `sacreBLEU 2.x corpus_bleu`. */
  readonly reference: string;
  /** True when larger scores are better (false for perplexity). */
  readonly higherIsBetter: boolean;
  doCompute(options: MetricComputeOptionsV1): Promise<MetricResultV1>;
  close?(): Promise<void>;
}
