import type { TaskV1 } from '@rlgf/contracts';
import type { Recipe } from '@rlgf/recipe';

/**
 * How many new tokens a run generates: the recipe's `rollout.maxNewTokens` / `minNewTokens`, else
 * the task's. A task's minimum never exceeds a shorter maximum the recipe sets (IMDB's 48-token
 * minimum with `rollout.maxNewTokens: 16` means 16), while the recipe's own pair is checked when
 * the recipe is read.
 */
export function generationLength(recipe: Recipe, task: TaskV1): { readonly maxNewTokens: number; readonly minNewTokens: number } {
  const maxNewTokens = recipe.rollout.maxNewTokens ?? task.generation.maxNewTokens;
  const minNewTokens = Math.min(recipe.rollout.minNewTokens ?? task.generation.minNewTokens ?? 0, maxNewTokens);
  return { maxNewTokens, minNewTokens };
}
