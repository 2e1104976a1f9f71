import { isAbsolute, resolve } from 'node:path';
import { loadRecipeFile } from './recipe-file';

const isPath = (module: string) => module.startsWith('.') || isAbsolute(module);

/**
 * The plugins a command without a recipe of its own loads: those a recipe names (`--config`, its
 * relative paths read from the recipe's folder, as a run would) and each `--plugin` (a relative
 * path read from the working directory), as recipe `plugins` entries.
 */
export async function pluginsToLoad(cwd: string, options: { readonly plugin?: readonly string[]; readonly config?: string }): Promise<{ module: string; settings?: Readonly<Record<string, unknown>> }[]> {
  const fromRecipe = options.config ? await loadRecipeFile(options.config, { cwd }) : undefined;
  const named = (fromRecipe?.recipe.plugins ?? []).map((entry) => ({ ...entry, module: isPath(entry.module) ? resolve(fromRecipe?.baseDir ?? cwd, entry.module) : entry.module }));
  return [...named, ...(options.plugin ?? []).map((module) => ({ module: isPath(module) ? resolve(cwd, module) : module }))];
}
