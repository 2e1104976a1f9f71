import type { ComponentRefV1 } from '../../shared/v1/component-ref-v1';
import type { DecodingV1 } from '../../shared/v1/decoding-v1';
import type { TokenizerV1 } from '../../tokenizer/v1/tokenizer-v1';
import type { TaskSampleV1 } from './task-sample-v1';

export type TaskSplitV1 = 'train' | 'validation' | 'test';

/** Generation settings the task's authors used; recipes may override each. */
export interface TaskGenerationDefaultsV1 {
  /** New tokens per sample (IMDB 48, CommonGen 20, TL;DR 50). */
  readonly maxNewTokens: number;
  /** EOS suppressed before this many tokens. Default 0. */
  readonly minNewTokens?: number;
  /** Longest prompt in policy tokens; how a longer one is cut is the task's business. */
  readonly maxPromptTokens?: number;
  /** Decoding for evaluation (IMDB top-k 50 sampling, CommonGen 5-beam search, TL;DR greedy). */
  readonly evalDecoding: DecodingV1;
}

export interface TaskLoadSamplesOptionsV1 {
  readonly split: TaskSplitV1;
  /**
   * The policy's tokenizer, for tasks that cut prompts in policy tokens. Tasks that work on text
   * only may ignore it.
   */
  readonly tokenizer?: TokenizerV1;
  /** Take at most this many samples (after the task's own split slicing). */
  readonly limit?: number;
  readonly abortSignal?: AbortSignal;
}

/**
 * A text-generation task: where its prompts and references come from and how to judge outputs.
 * Created by a {@link ComponentFactoryV1} that a task plugin registers.
 */
export interface TaskV1 {
  readonly specificationVersion: 'v1';
  /** Registered id, e.g. `imdb`. */
  readonly id: string;
  /** One line for `rlgf plugins`. */
  readonly description: string;
  /** Dataset split spec per task split, in `datasets` slicing syntax (e.g. `train[:80%]`). */
  readonly splits: Readonly<Record<TaskSplitV1, string>>;
  readonly generation: TaskGenerationDefaultsV1;
  /** The reward used when a recipe names none. */
  readonly defaultReward: ComponentRefV1;
  /** The metrics used for evaluation when a recipe names none. */
  readonly defaultMetrics: readonly ComponentRefV1[];
  /** Loads and formats the samples of one split, in a deterministic order. */
  doLoadSamples(options: TaskLoadSamplesOptionsV1): Promise<TaskSampleV1[]>;
}
