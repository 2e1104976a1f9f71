import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DirectoryCheckpointStore } from '../checkpoint/directory-checkpoint-store';

/** The file in each checkpoint that says how many tracking rows the checkpoint covers. */
export const journalMarkName = 'journal.json';
const markFormat = 'rlgf-journal-mark/v1';

/** Rows of `metrics.jsonl` and `evaluations.jsonl` logged before a checkpoint was written. */
export interface JournalRows {
  readonly metrics: number;
  readonly evaluations: number;
}

/**
 * Which rows of the tracking files a (re)started run keeps: the first `rows` (what its checkpoint
 * covers; none for a fresh start), or, for checkpoints written before journal marks, the rows up
 * to the checkpoint's `iteration` (iterations completed) by their labels.
 */
export type JournalKeep = { readonly kind: 'rows'; readonly rows: JournalRows } | { readonly kind: 'through-iteration'; readonly iteration: number };

export const keepNothing: JournalKeep = { kind: 'rows', rows: { metrics: 0, evaluations: 0 } };

/** What the checkpoint in `dir` (written after `iteration` completed iterations) covers of the tracking files. */
export async function readJournalMark(dir: string, iteration: number): Promise<JournalKeep> {
  let text: string;
  try {
    text = await readFile(join(dir, journalMarkName), 'utf8');
  } catch {
    return { kind: 'through-iteration', iteration };
  }
  const mark = JSON.parse(text) as { format?: string } & JournalRows;
  // The checkpoint passed its manifest check, so a mark that does not parse was never one of ours.
  return mark.format === markFormat ? { kind: 'rows', rows: { metrics: mark.metrics, evaluations: mark.evaluations } } : { kind: 'through-iteration', iteration };
}

/**
 * The store with a journal mark in every checkpoint: the trainer flushes its tracker before each
 * save, so the rows logged so far are exactly the rows the checkpoint's state has produced. A row
 * count, not an iteration: the evaluation after iteration N is logged before checkpoint N, except
 * the final one, which follows the last checkpoint.
 */
export function markJournalOnSave(store: DirectoryCheckpointStore, rows: () => JournalRows): DirectoryCheckpointStore {
  return {
    ...store,
    save: (iteration, write) =>
      store.save(iteration, async (dir) => {
        await write(dir);
        await writeFile(join(dir, journalMarkName), `${JSON.stringify({ format: markFormat, ...rows() })}\n`);
      }),
  };
}
