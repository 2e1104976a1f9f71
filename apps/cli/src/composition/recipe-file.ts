import { loadRecipe, type LoadedRecipe } from '@rlgf/recipe';

/** Loads a recipe named on the command line, relative to the working directory. */
export function loadRecipeFile(path: string, options: { cwd: string; overrides?: readonly string[] }): Promise<LoadedRecipe> {
  return loadRecipe(path, { cwd: options.cwd, overrides: options.overrides });
}
