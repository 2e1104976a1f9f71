export interface GaeResult {
  readonly advantages: number[];
  readonly returns: number[];
}

/**
 * Generalised advantage estimation (Schulman et al. 2016) over one sequence of `length` valid
 * tokens (the rest is padding and gets zeros). The episode ends after the last valid token, so
 * V(s_length) = 0:
 *   δ_t = r_t + γ V_{t+1} − V_t,   A_t = δ_t + γλ A_{t+1},   R_t = A_t + V_t.
 */
export function gae(rewards: readonly number[], values: readonly number[], length: number, gamma: number, lambda: number): GaeResult {
  const size = rewards.length;
  const advantages = new Array<number>(size).fill(0);
  const returns = new Array<number>(size).fill(0);
  let next = 0;
  let nextValue = 0;
  for (let t = length - 1; t >= 0; t--) {
    const delta = rewards[t] + gamma * nextValue - values[t];
    next = delta + gamma * lambda * next;
    advantages[t] = next;
    returns[t] = next + values[t];
    nextValue = values[t];
  }
  return { advantages, returns };
}
