import { Rng } from '@rlgf/core';
import type { TaskSplitV1 } from '@rlgf/contracts';

/** The share of the dataset's train split that becomes the task's train split (as the authors). */
export const trainFraction = 0.8;

export interface SplitPlanSettings {
  /** Rows of the dataset's train and test splits. */
  readonly datasetRows: { readonly train: number; readonly test: number };
  /** Seed of the shuffles that decide the train/validation cut and the order of every split. */
  readonly splitSeed: number;
  /** Keep at most this many samples per task split (the first ones of the shuffled order). */
  readonly caps: Readonly<Partial<Record<TaskSplitV1, number>>>;
}

export interface SplitRows {
  /** The dataset split the rows come from. */
  readonly source: 'train' | 'test';
  /** Dataset row indices in the task's sample order. */
  readonly rows: readonly number[];
}

function shuffledRows(count: number, seed: number, label: string): number[] {
  return Rng.fromSeed(seed, 'imdb', label).shuffle(Array.from({ length: count }, (_, i) => i));
}

/**
 * Which dataset rows make a task split, in order. The dataset's train split (sorted by label) is
 * shuffled with the split seed; its first 80% is the task's train split, the rest validation, as
 * in the authors' code (`dataset["train"].shuffle(seed)`, cut at `int(0.8 n)`). The test split is
 * shuffled too, so that a cap or a limit keeps both labels. Caps only shorten the shuffled
 * order, so the first rows of a split are the same whatever the cap.
 */
export function splitRows(split: TaskSplitV1, settings: SplitPlanSettings): SplitRows {
  const cap = settings.caps[split] ?? Number.POSITIVE_INFINITY;
  if (split === 'test') {
    return { source: 'test', rows: shuffledRows(settings.datasetRows.test, settings.splitSeed, 'test-order').slice(0, cap) };
  }
  const shuffled = shuffledRows(settings.datasetRows.train, settings.splitSeed, 'train-validation');
  const cut = Math.floor(settings.datasetRows.train * trainFraction);
  const rows = split === 'train' ? shuffled.slice(0, cut) : shuffled.slice(cut);
  return { source: 'train', rows: rows.slice(0, cap) };
}
