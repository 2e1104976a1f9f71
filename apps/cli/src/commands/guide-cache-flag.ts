import type { LoadedRecipe } from '@rlgf/recipe';

/**
 * `rlgf train --no-guide-cache`: the recipe's guide gets `cache: false` for this invocation only.
 * Not written to the run's recipe.yaml: with a server that honours seeds, answers are the same
 * with or without the cache; only what is sent differs. A guide without a cache warns about the
 * option it does not know.
 */
export function withGuideCache(loaded: LoadedRecipe, enabled: boolean): LoadedRecipe {
  const guide = loaded.recipe.guide;
  if (enabled || !guide) return loaded;
  return { ...loaded, recipe: { ...loaded.recipe, guide: { ...guide, options: { ...guide.options, cache: false } } } };
}
