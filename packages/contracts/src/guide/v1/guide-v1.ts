import type { WarningV1 } from '../../shared/v1/warning-v1';

/**
 * How a guide exchanges tokens with the learner.
 * - `shared`: the guide uses the policy's tokenizer; prompts and prefixes go in as ids and
 *   continuations come back as ids, so switch steps are exact.
 * - `text`: the guide has its own tokenizer (or is a remote black box); prompts and prefixes go in
 *   as text and the continuation comes back as text, which the trainer re-tokenizes with the
 *   policy tokenizer.
 */
export type GuideTokenizationV1 = 'shared' | 'text';

export interface GuideInputV1 {
  /** The prompt as text (always present). */
  readonly promptText: string;
  /** The prompt as policy token ids (present for `shared` guides). */
  readonly promptIds?: readonly number[];
  /**
   * What the learner already generated and the guide must continue from (AggreVaTeD roll-out).
   * Text for `text` guides, ids for `shared` guides. Empty: continue right after the prompt.
   */
  readonly prefixText?: string;
  readonly prefixIds?: readonly number[];
}

export interface GuideGenerateOptionsV1 {
  readonly inputs: readonly GuideInputV1[];
  /** Upper bound on new tokens after the prefix, in the guide's own tokens. */
  readonly maxNewTokens: number;
  /**
   * The fewest new tokens after the prefix before the guide may end (EOS suppressed before it, as
   * vLLM's `min_tokens`): one number for every input, or one per input. It carries the task's
   * minimum length (an AggreVaTeD roll-out must not end before the task allows) and the switch
   * step (a PPO++ roll-in must reach it). A guide that cannot enforce it still tries; the trainer
   * counts continuations that come back short. Default 0.
   */
  readonly minNewTokens?: number | readonly number[];
  /** Per-request seed derived from the run seed, so a guide that honours it is reproducible. */
  readonly seed: number;
  readonly abortSignal?: AbortSignal;
}

/** The continuation for one input, after its prefix (the prefix itself is not repeated). */
export type GuideOutputV1 =
  | { readonly status: 'ok'; readonly text: string; readonly ids?: readonly number[] }
  | {
      /** The guide could not produce this sample (unreachable, malformed answer, ...). */
      readonly status: 'failed';
      /** One line saying why; the trainer logs it and applies its fallback policy. */
      readonly reason: string;
    };

/** What one doGenerate call of a remote guide cost: the trainer logs it per iteration. */
export interface GuideUsageV1 {
  /** Requests sent to the server, retries included. */
  readonly requests: number;
  /** Answers taken from the guide's cache instead of the server (they cost nothing). */
  readonly cachedAnswers: number;
  /** Prompt tokens of the answers received, as the server counted them (`usage`). */
  readonly promptTokens: number;
  /** Completion tokens of the answers received, as the server counted them. */
  readonly completionTokens: number;
}

export interface GuideGenerateResultV1 {
  /** Aligned with `inputs`. */
  readonly outputs: readonly GuideOutputV1[];
  readonly warnings: readonly WarningV1[];
  /** What the call cost, for guides that pay per token (absent: not reported). */
  readonly usage?: GuideUsageV1;
}

/**
 * A guide policy πg: a stronger or differently trained LM used as a restart distribution (PPO++
 * roll-in) or as the expert whose cost-to-go the learner imitates (AggreVaTeD roll-out). It
 * samples from its own frozen weights or its own endpoint, never from the learner's weights.
 */
export interface GuideV1 {
  readonly specificationVersion: 'v1';
  readonly id: string;
  readonly tokenization: GuideTokenizationV1;
  /** Generates one continuation per input. Individual failures are reported per output. */
  doGenerate(options: GuideGenerateOptionsV1): Promise<GuideGenerateResultV1>;
  /** Releases models, sockets and timers. */
  close?(): Promise<void>;
}
