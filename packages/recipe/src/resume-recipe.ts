import { InvalidArgumentError } from '@rlgf/contracts';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadRecipe, type LoadedRecipe } from './load-recipe';
import { checkResumeChanges, resumeChanges, type RecipeChange } from './resume-overrides';

/** A run directory's recipe, as `--resume` continues it. */
export interface ResumedRecipe {
  /** The recipe with the `--set` overrides applied. */
  readonly loaded: LoadedRecipe;
  /** The absolute run directory: the folder given, wherever the run was first written. */
  readonly runDir: string;
  /** What the overrides changed (empty when they restate the recipe). */
  readonly changes: readonly RecipeChange[];
}

/**
 * Loads `<runDir>/recipe.yaml` for `--resume`, with `--set` overrides that may not change what
 * the run computes unless `force` (see `resumeSafeFields`).
 */
export async function loadResumedRecipe(runDir: string, options: { cwd: string; overrides: readonly string[]; force: boolean }): Promise<ResumedRecipe> {
  const dir = resolve(options.cwd, runDir);
  const path = join(dir, 'recipe.yaml');
  if (!existsSync(path)) {
    throw new InvalidArgumentError({ argument: '--resume', value: runDir, expected: 'a run directory: one with the recipe.yaml a run writes when it starts' });
  }
  const before = await loadRecipe(path, { cwd: options.cwd });
  const loaded = options.overrides.length > 0 ? await loadRecipe(path, { cwd: options.cwd, overrides: options.overrides }) : before;
  const changes = resumeChanges(before, loaded, options.overrides);
  checkResumeChanges(changes, options.force);
  return { loaded, runDir: dir, changes };
}
