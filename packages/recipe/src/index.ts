export { loadRecipe, parseRecipe, runDirectory, type LoadedRecipe } from './load-recipe';
export { applyOverrides, parseOverride, type Override } from './overrides';
export { loadResumedRecipe, type ResumedRecipe } from './resume-recipe';
export { resumeSafeFields, type RecipeChange } from './resume-overrides';
export { recipeSchema, recipeShape, type Recipe, type RecipeInput } from './schema/recipe';
export { renderRecipeDocs, type AlgorithmDoc } from './docs/render-recipe-docs';
export { describeSchema, type FieldDoc } from './docs/describe-schema';
export { describeIssues } from './issues';
