import type { RewardModel } from '../model/reward-model';

/** Scores texts (prompt + summary) with a reward model, local or behind an HTTP endpoint. */
export interface RewardScorer {
  /** One line for logs. */
  readonly description: string;
  score(texts: readonly string[], abortSignal?: AbortSignal): Promise<number[]>;
  dispose(): void;
}

/** A reward model in this process, scoring in batches of similar length. */
export function localScorer(model: RewardModel, batchSize: number, label: string): RewardScorer {
  return {
    description: `reward model ${label} (${model.maxTokens} tokens at most, batches of ${batchSize})`,
    score: (texts, abortSignal) => model.score(texts, { batchSize, abortSignal }),
    dispose: () => model.dispose(),
  };
}
