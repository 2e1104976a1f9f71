// The paper's claim that guidance narrows the gap between easy and hard prompts, measured the way
// our evaluations allow: prompts ranked by how well the SFT start does on them (its mean reward
// over seeds), cut into thirds, and each final policy's mean reward on the hardest and easiest
// third. Pure functions; the experiment tools gather the per-prompt rewards.

/** Difficulty thirds of the prompts: 0 hardest (lowest starting reward) … 2 easiest. */
export type Third = 0 | 1 | 2;

/** Per prompt, the mean of its rewards over seeds (each seed's rewards in the same prompt order). */
export function meanOverSeeds(bySeed: readonly (readonly number[])[]): number[] {
  if (bySeed.length === 0) throw new Error('no seeds to average');
  const prompts = bySeed[0].length;
  if (bySeed.some((rewards) => rewards.length !== prompts)) throw new Error(`every seed must score the same ${prompts} prompts`);
  return Array.from({ length: prompts }, (_, prompt) => bySeed.reduce((sum, rewards) => sum + rewards[prompt], 0) / bySeed.length);
}

/**
 * The third of each prompt by its starting reward: sorted ascending (ties by prompt index, so the
 * cut is deterministic), the first ⌊n/3⌋ hardest, the last ⌊n/3⌋ easiest, the rest in between.
 */
export function difficultyThirds(startingRewards: readonly number[]): Third[] {
  const n = startingRewards.length;
  if (n < 3) throw new Error(`need at least 3 prompts to cut into thirds, got ${n}`);
  const order = startingRewards.map((reward, prompt) => ({ reward, prompt })).sort((a, b) => a.reward - b.reward || a.prompt - b.prompt);
  const third = Math.floor(n / 3);
  const thirds = new Array<Third>(n).fill(1);
  order.forEach(({ prompt }, rank) => {
    if (rank < third) thirds[prompt] = 0;
    else if (rank >= n - third) thirds[prompt] = 2;
  });
  return thirds;
}

/** Mean reward of a policy on the hardest third, the middle and the easiest third, and easiest − hardest. */
export interface ThirdMeans {
  readonly hard: number;
  readonly middle: number;
  readonly easy: number;
  readonly gap: number;
}

export function thirdMeans(rewards: readonly number[], thirds: readonly Third[]): ThirdMeans {
  if (rewards.length !== thirds.length) throw new Error(`${rewards.length} rewards for ${thirds.length} prompts`);
  const sums = [0, 0, 0];
  const counts = [0, 0, 0];
  rewards.forEach((reward, prompt) => {
    sums[thirds[prompt]] += reward;
    counts[thirds[prompt]] += 1;
  });
  const [hard, middle, easy] = sums.map((sum, third) => sum / counts[third]);
  return { hard, middle, easy, gap: easy - hard };
}
