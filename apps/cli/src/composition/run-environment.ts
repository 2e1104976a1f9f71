import type { LoggerV1 } from '@rlgf/contracts';
import type { LoadedRecipe } from '@rlgf/recipe';
import { resolveAllValues } from '@rlgf/core';
import { MODEL_FAMILY, modelRegistryWith } from '@rlgf/models';
import type { RunEnvironment } from '@rlgf/trainer';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CliIo } from '../cli-io';
import { composeRun } from './compose-run';
import { createHub } from './hub';

/** Where derived artifacts (converted models) are cached: `$RLGF_CACHE_DIR`, else `~/.cache/rlgf`. */
export function cacheDirectory(io: CliIo): string {
  const configured = io.env.RLGF_CACHE_DIR;
  return configured ? resolve(io.cwd, configured) : join(io.env.HOME ?? homedir(), '.cache', 'rlgf');
}

/** The composition root of a recipe run: its container with plugins, Hub access, cache and output. */
export async function recipeEnvironment(io: CliIo, loaded: LoadedRecipe, logger: LoggerV1): Promise<RunEnvironment> {
  const container = await composeRun({ plugins: loaded.recipe.plugins, baseDir: loaded.baseDir, logger });
  // Model families that recipe plugins register reach every loader of the run.
  const families = resolveAllValues(container, MODEL_FAMILY);
  return {
    container,
    modelRegistry: families.length > 0 ? modelRegistryWith(families) : undefined,
    hub: createHub({ env: io.env, cwd: io.cwd, logger, recipeHub: loaded.recipe.hub }),
    logger,
    cacheDir: cacheDirectory(io),
    cwd: io.cwd,
    isTty: io.isTty,
    writeProgress: io.stderr,
  };
}
