/**
 * Token ids of one text cut to `maxTokens`, keeping its end (transformers' `truncation_side =
 * "left"`): the summary at the end of prompt + summary is what a reward model judges. What the
 * tokenizer puts first (`leading`, Llama's BOS) stays first, as transformers adds special tokens
 * after truncating.
 */
export function keepEnd(ids: readonly number[], leading: readonly number[], maxTokens: number): number[] {
  if (ids.length <= maxTokens) return [...ids];
  const starts = leading.length > 0 && leading.every((id, i) => ids[i] === id);
  const head = starts ? leading : [];
  return [...head, ...ids.slice(ids.length - (maxTokens - head.length))];
}

/** Rows padded on the left to one width, with a mask of real tokens (1) and padding (0). */
export interface LeftPadded {
  readonly ids: number[][];
  readonly mask: number[][];
}

/**
 * Left padding puts every row's last token in the last column, where the reward is read. Position
 * ids come from the mask (real tokens count from 0), so a padded row scores as it would alone.
 */
export function leftPad(rows: readonly (readonly number[])[], padTokenId: number): LeftPadded {
  const width = Math.max(1, ...rows.map((row) => row.length));
  return {
    ids: rows.map((row) => [...new Array<number>(width - row.length).fill(padTokenId), ...row]),
    mask: rows.map((row) => [...new Array<number>(width - row.length).fill(0), ...row.map(() => 1)]),
  };
}

/** Indices of `rows` grouped into batches of similar length (longest first), at most `size` each. */
export function lengthBatches(rows: readonly (readonly number[])[], size: number): number[][] {
  const order = rows.map((_, i) => i).sort((a, b) => rows[b].length - rows[a].length || a - b);
  const batches: number[][] = [];
  for (let start = 0; start < order.length; start += size) batches.push(order.slice(start, start + size));
  return batches;
}
