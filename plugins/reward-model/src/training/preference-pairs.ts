import { DatasetError, type HubFilesV1, type TaskSampleV1, type TaskSplitV1 } from '@rlgf/contracts';
import { openHubDataset } from '@rlgf/datasets';

/** One row of the CarperAI/openai_summarize_comparisons layout. */
export interface PreferencePair {
  /** The post's prompt, as in the summaries dataset (`SUBREDDIT: …\nPOST: …\nTL;DR:`). */
  readonly prompt: string;
  /** The preferred summary, as the text that follows the prompt (` …`). */
  readonly chosen: string;
  readonly rejected: string;
}

/** A pair ready to score: the task's prompt for the post followed by each summary. */
export interface PairTexts {
  /** The task sample id of the post. */
  readonly post: string;
  readonly chosen: string;
  readonly rejected: string;
}

/** A summary as the continuation of a prompt ending in `TL;DR:`: its `TL;DR:` prefix dropped, one space first. */
export function summaryContinuation(summary: string): string {
  return ` ${summary.replace(/^\s*TL;DR:/, '').trim()}`;
}

/** Reads preference pairs with string columns `prompt`, `chosen`, `rejected`. */
export async function loadPreferencePairs(hub: HubFilesV1, source: { readonly repo: string; readonly split: string; readonly abortSignal?: AbortSignal }): Promise<PreferencePair[]> {
  const dataset = await openHubDataset(hub, { repo: source.repo, abortSignal: source.abortSignal });
  const rows = await dataset.readRows(source.split, { abortSignal: source.abortSignal });
  return rows.map((row, i) => {
    const { prompt, chosen, rejected } = row;
    if (typeof prompt !== 'string' || typeof chosen !== 'string' || typeof rejected !== 'string') {
      throw new DatasetError({
        message: `row ${i} of ${source.repo} ${source.split} has no string prompt, chosen and rejected columns (columns: ${Object.keys(row).join(', ')})`,
        hint: 'preference pairs are read in the CarperAI/openai_summarize_comparisons layout',
      });
    }
    return { prompt, chosen: summaryContinuation(chosen), rejected: summaryContinuation(rejected) };
  });
}

export interface PairSplit {
  readonly train: PairTexts[];
  readonly heldOut: PairTexts[];
  /** Pairs whose post is in no task split. */
  readonly unmatched: number;
}

/**
 * Assigns each pair to the task split of its post, matched by the post's full prompt (the task
 * keeps it as `meta.sourcePrompt`): posts of the train split give training pairs, posts of the
 * validation and test splits held-out pairs. So no post is on both sides, and the reward model
 * never trained on a post the policy is evaluated on. The texts are the task's prompt, cut as the
 * policy sees it, followed by each summary.
 */
export function splitPairsByPost(pairs: readonly PreferencePair[], samples: Readonly<Record<TaskSplitV1, readonly TaskSampleV1[]>>): PairSplit {
  const posts = new Map<string, { readonly split: TaskSplitV1; readonly sample: TaskSampleV1 }>();
  for (const split of ['train', 'validation', 'test'] as const) {
    for (const sample of samples[split]) {
      const source = sample.meta?.sourcePrompt;
      if (typeof source === 'string' && !posts.has(source)) posts.set(source, { split, sample });
    }
  }
  const train: PairTexts[] = [];
  const heldOut: PairTexts[] = [];
  let unmatched = 0;
  for (const pair of pairs) {
    const post = posts.get(pair.prompt);
    if (post === undefined) {
      unmatched += 1;
      continue;
    }
    const texts = { post: post.sample.id, chosen: `${post.sample.prompt}${pair.chosen}`, rejected: `${post.sample.prompt}${pair.rejected}` };
    (post.split === 'train' ? train : heldOut).push(texts);
  }
  return { train, heldOut, unmatched };
}
