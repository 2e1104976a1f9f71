import { Rng } from '@rlgf/core';
import type { HubFilesV1 } from '@rlgf/contracts';
import { openHubDataset } from '@rlgf/datasets';

/** The Large Movie Review Dataset (Maas et al., 2011) on the Hub. */
export const imdbDatasetRepo = 'stanfordnlp/imdb';

export interface LabelledReview {
  readonly text: string;
  /** 1 positive, 0 negative. */
  readonly label: number;
}

/**
 * The reviews of one IMDB split, or a seeded random `count` of them (the splits are sorted by
 * label, so a prefix would hold one label only). A whole split's text column is read in one go:
 * that costs ~0.3 s, about five single-row reads.
 */
export async function loadImdbReviews(
  hub: HubFilesV1,
  split: 'train' | 'test',
  options: { readonly count?: number; readonly seed: number; readonly abortSignal?: AbortSignal },
): Promise<LabelledReview[]> {
  const dataset = await openHubDataset(hub, { repo: imdbDatasetRepo, abortSignal: options.abortSignal });
  const rows = await dataset.readRows(split, { columns: ['text', 'label'], abortSignal: options.abortSignal });
  const reviews = rows.map((row) => ({ text: String(row.text), label: Number(row.label) }));
  if (options.count === undefined || options.count >= reviews.length) return reviews;
  return Rng.fromSeed(options.seed, 'imdb-sentiment', split).shuffle(reviews).slice(0, options.count);
}
