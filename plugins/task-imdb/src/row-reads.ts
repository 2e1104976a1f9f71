import type { DatasetRow, HubDataset } from '@rlgf/datasets';

/** A half-open range of dataset rows read in one call. */
export interface RowRange {
  readonly start: number;
  readonly end: number;
}

/**
 * How to read a scattered set of rows in few parquet reads. Every read decodes at least one
 * parquet page, which for IMDB's 24,000-row groups costs about as much as a fifth of the whole
 * split (measured: ~60 ms for one row, ~300 ms for all 25,000). So runs of consecutive rows are
 * read separately while there are at most `maxReads` of them; beyond that one read spans them all.
 */
export function planRowReads(rows: readonly number[], maxReads = 4): RowRange[] {
  const sorted = [...new Set(rows)].sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  const runs: RowRange[] = [];
  let start = sorted[0];
  for (let i = 1; i <= sorted.length; i += 1) {
    if (i === sorted.length || sorted[i] !== sorted[i - 1] + 1) {
      runs.push({ start, end: sorted[i - 1] + 1 });
      start = sorted[i];
    }
  }
  return runs.length <= maxReads ? runs : [{ start: runs[0].start, end: runs[runs.length - 1].end }];
}

/** The rows at `rows` of `split`, in the order asked, with only `columns`. */
export async function readRowsAt(
  dataset: HubDataset,
  split: string,
  rows: readonly number[],
  columns: readonly string[],
  abortSignal?: AbortSignal,
): Promise<DatasetRow[]> {
  const byRow = new Map<number, DatasetRow>();
  for (const range of planRowReads(rows)) {
    const read = await dataset.readRows(`${split}[${range.start}:${range.end}]`, { columns, abortSignal });
    read.forEach((row, offset) => byRow.set(range.start + offset, row));
  }
  return rows.map((row) => byRow.get(row) as DatasetRow);
}
