export { loadRecipe, parseRecipe, runDirectory, type LoadedRecipe } from './load-recipe';
export { applyOverrides, parseOverride, type Override } from './overrides';
export { recipeSchema, type Recipe, type RecipeInput } from './schema/recipe';
