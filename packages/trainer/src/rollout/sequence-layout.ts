import type { RolloutSample } from './rollout-sample';

/**
 * Prompt + generation rows of one width: prompts left-padded to the longest prompt P, generations
 * right-padded to the generation length T. Generated token j sits at column P + j and is
 * predicted at column P − 1 + j, which is where its log-prob, entropy and value V(s_j) are read.
 */
export interface SequenceLayout {
  readonly ids: number[][];
  readonly mask: number[][];
  /** Longest prompt P. */
  readonly promptWidth: number;
  /** Generation columns T. */
  readonly generationWidth: number;
}

export function layoutSequences(
  rows: readonly { readonly promptIds: readonly number[]; readonly tokens: readonly number[] }[],
  generationWidth: number,
  padTokenId: number,
): SequenceLayout {
  const promptWidth = Math.max(1, ...rows.map((row) => row.promptIds.length));
  const ids: number[][] = [];
  const mask: number[][] = [];
  for (const row of rows) {
    const left = promptWidth - row.promptIds.length;
    const tokens = row.tokens.slice(0, generationWidth);
    const right = generationWidth - tokens.length;
    ids.push([...new Array<number>(left).fill(padTokenId), ...row.promptIds, ...tokens, ...new Array<number>(right).fill(padTokenId)]);
    mask.push([...new Array<number>(left).fill(0), ...row.promptIds.map(() => 1), ...tokens.map(() => 1), ...new Array<number>(right).fill(0)]);
  }
  return { ids, mask, promptWidth, generationWidth };
}

/** The generation columns [P − 1, P − 1 + T) of a [B, P + T] per-position quantity. */
export function generationColumns(layout: SequenceLayout): { readonly start: number; readonly size: number } {
  return { start: layout.promptWidth - 1, size: layout.generationWidth };
}

export type RolloutRow = Pick<RolloutSample, 'promptIds' | 'tokens'>;
