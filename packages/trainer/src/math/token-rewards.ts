/**
 * Per-token rewards of one sample: the terminal score on the last valid token (or per-token task
 * scores when the reward gives them) minus β_KL times the per-token KL:
 *   r_t = 1[t = T−1]·R − β_KL · kl_t.
 */
export function tokenRewards(options: {
  readonly length: number;
  readonly width: number;
  readonly score: number;
  readonly tokenScores?: readonly number[];
  readonly kl: readonly number[];
  readonly klCoef: number;
}): number[] {
  const rewards = new Array<number>(options.width).fill(0);
  for (let t = 0; t < options.length; t++) {
    // `0 −` rather than unary minus: no −0 where the KL term is 0 (guide tokens, β = 0).
    rewards[t] = 0 - options.klCoef * options.kl[t];
    if (options.tokenScores) rewards[t] += options.tokenScores[t] ?? 0;
  }
  if (!options.tokenScores && options.length > 0) rewards[options.length - 1] += options.score;
  return rewards;
}
