import { meanAndStd } from './statistics';

/** Samples grouped by prompt: `groups[i]` is sample i's group id. */
function members(groups: readonly number[]): Map<number, number[]> {
  const byGroup = new Map<number, number[]>();
  groups.forEach((group, i) => byGroup.set(group, [...(byGroup.get(group) ?? []), i]));
  return byGroup;
}

/**
 * GRPO's group-relative advantage of each sample (Shao et al. 2024): its reward minus the mean of
 * its group, divided by the group's standard deviation (population, + ε) with `scale: 'group'`,
 * by the whole batch's with `scale: 'batch'`, or not at all with `scale: 'none'` (Dr. GRPO, Liu
 * et al. 2025, who show the division favours groups whose rewards barely differ).
 */
export function groupRelativeAdvantages(rewards: readonly number[], groups: readonly number[], scale: 'group' | 'batch' | 'none', epsilon = 1e-4): number[] {
  const advantages = new Array<number>(rewards.length).fill(0);
  const batchStd = meanAndStd(rewards).std;
  for (const indices of members(groups).values()) {
    const { mean, std } = meanAndStd(indices.map((i) => rewards[i]));
    const divisor = scale === 'group' ? std + epsilon : scale === 'batch' ? batchStd + epsilon : 1;
    for (const i of indices) advantages[i] = (rewards[i] - mean) / divisor;
  }
  return advantages;
}

/**
 * RLOO's leave-one-out advantage (Kool et al. 2019; Ahmadian et al. 2024): a sample's reward minus
 * the mean reward of the *other* samples of its group, a baseline independent of the sample and
 * so unbiased. A group of one has no baseline (advantage = reward).
 */
export function leaveOneOutAdvantages(rewards: readonly number[], groups: readonly number[]): number[] {
  const advantages = new Array<number>(rewards.length).fill(0);
  for (const indices of members(groups).values()) {
    const total = indices.reduce((sum, i) => sum + rewards[i], 0);
    for (const i of indices) advantages[i] = indices.length > 1 ? rewards[i] - (total - rewards[i]) / (indices.length - 1) : rewards[i];
  }
  return advantages;
}

/** Rewards-to-go G_t = Σ_{t' ≥ t} γ^{t'−t} r_t' over `length` valid tokens (zeros after). */
export function rewardsToGo(rewards: readonly number[], length: number, gamma: number): number[] {
  const returns = new Array<number>(rewards.length).fill(0);
  let next = 0;
  for (let t = length - 1; t >= 0; t--) {
    next = rewards[t] + gamma * next;
    returns[t] = next;
  }
  return returns;
}
