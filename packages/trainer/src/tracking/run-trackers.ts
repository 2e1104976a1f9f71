import type { TrackerV1 } from '@rlgf/contracts';
import { createComponentContext } from '@rlgf/core';
import type { Recipe } from '@rlgf/recipe';
import type { RunEnvironment } from '../run/run-environment';
import { createCompositeTracker } from './composite-tracker';
import { createSampleTracker } from './sample-tracker';

/**
 * The run's tracker: its own files (`files`, which the checkpoint journal counts, and the sample
 * generations the summary shows) and every tracker the recipe names, created as components with
 * the run directory in their context.
 */
export async function createRunTracker(recipe: Recipe, env: RunEnvironment, runDir: string, files: TrackerV1): Promise<TrackerV1> {
  const own = [files, createSampleTracker({ dir: runDir })];
  if (recipe.trackers.length === 0) return createCompositeTracker(own);
  const context = createComponentContext({
    container: env.container,
    hub: env.hub,
    logger: env.logger,
    seed: recipe.seed,
    cacheDir: env.cacheDir,
    workingDirectory: env.cwd,
    runDirectory: runDir,
  });
  const named: TrackerV1[] = [];
  try {
    for (const ref of recipe.trackers) named.push(await context.createComponent('tracker', ref));
  } catch (error) {
    // The trackers made so far hold open files: close them before the error ends the run.
    await Promise.allSettled(named.map((tracker) => tracker.close()));
    throw error;
  }
  return createCompositeTracker([...own, ...named]);
}
