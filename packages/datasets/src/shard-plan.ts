/** Rows `[rowStart, rowEnd)` of one shard file. */
export interface ShardRead {
  readonly shard: number;
  readonly rowStart: number;
  readonly rowEnd: number;
}

/**
 * Maps the rows `[start, end)` of a split made of shards with these row counts (in order) to the
 * reads of each shard that holds some of them. Pure.
 */
export function planShardReads(rowCounts: readonly number[], start: number, end: number): ShardRead[] {
  const reads: ShardRead[] = [];
  let offset = 0;
  rowCounts.forEach((count, shard) => {
    const rowStart = Math.max(start - offset, 0);
    const rowEnd = Math.min(end - offset, count);
    if (rowStart < rowEnd) reads.push({ shard, rowStart, rowEnd });
    offset += count;
  });
  return reads;
}
