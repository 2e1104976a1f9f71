import { CheckpointError, InvalidArgumentError } from '@rlgf/contracts';
import { createProgress, resolveAllValues } from '@rlgf/core';
import { setBackend } from '@rlgf/models';
import { runDirectory, type LoadedRecipe } from '@rlgf/recipe';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { RL_ALGORITHM } from '../algorithms/algorithm-token';
import { builtInAlgorithms, createAlgorithmRegistry, resolveAlgorithm } from '../algorithms/registry';
import { chooseCheckpoint } from '../checkpoint/choose-checkpoint';
import { createDirectoryCheckpointStore } from '../checkpoint/directory-checkpoint-store';
import { Learner } from '../learner/learner';
import { createFileTracker } from '../tracking/file-tracker';
import { createTaskParts, loadRecipeModel, runContext } from './run-components';
import type { RunEnvironment } from './run-environment';
import { RlTrainer } from './rl-trainer';
import { readRunState } from './run-state';

export interface PreparedRun {
  readonly trainer: RlTrainer;
  readonly runDir: string;
  /** Frees models, guides and rewards. */
  close(): Promise<void>;
}

/**
 * Builds an RL run from a recipe: models, task, guide, rewards, metrics, tracking and checkpoints.
 * A fresh run refuses a run directory that already has checkpoints (nothing saved is lost); with
 * `resume` it continues from the newest checkpoint there, or the one after iteration `checkpoint`,
 * once it matches its manifest.
 */
export async function prepareRlRun(loaded: LoadedRecipe, env: RunEnvironment, options: { resume: boolean; checkpoint?: number }): Promise<PreparedRun> {
  const recipe = loaded.recipe;
  // The built-in algorithms and any a recipe plugin registered; the settings are checked first.
  const algorithms = createAlgorithmRegistry([...builtInAlgorithms, ...resolveAllValues(env.container, RL_ALGORITHM)]);
  const { schedule } = resolveAlgorithm(recipe, algorithms, loaded.source);
  await setBackend(recipe.backend);
  const runDir = runDirectory(recipe, env.cwd);
  const store = createDirectoryCheckpointStore({ root: join(runDir, 'checkpoints'), keep: recipe.checkpoint.keep });
  const newest = await store.latest();
  if (!options.resume && newest) {
    throw new CheckpointError({
      message: `run directory ${runDir} already has checkpoints (latest after iteration ${newest.iteration})`,
      hint: `continue it with \`rlgf train --resume ${runDir}\`, or start anew with --set outputDir=<another directory>`,
    });
  }
  // `latest` is the checkpoint this run continues from (checked against its manifest), if any.
  const latest = options.resume ? await chooseCheckpoint(store, { runDir, iteration: options.checkpoint, logger: env.logger }) : undefined;
  await mkdir(runDir, { recursive: true });
  if (!options.resume) await writeFile(join(runDir, 'recipe.yaml'), stringify(loaded.document));

  const roles = schedule.critics;
  const state = latest ? await readRunState(latest.dir) : undefined;
  if (state && state.algorithm !== recipe.algorithm.name) {
    throw new CheckpointError({ message: `checkpoint ${latest?.dir} was written by ${state.algorithm}, the recipe runs ${recipe.algorithm.name}` });
  }
  const startPolicy = await loadRecipeModel(recipe.policy.model, env, recipe.seed);
  const reference = recipe.reference.model ? await loadRecipeModel(recipe.reference.model, env, recipe.seed, false) : startPolicy.frozenCopy();
  let learner: Learner;
  if (latest) {
    env.logger.info(`resuming ${runDir} after iteration ${state?.iteration} from ${latest.dir}`);
    learner = await Learner.load(latest.dir, { roles, optimization: recipe.optimization, sharedTrunk: recipe.critic.sharedTrunk, tokenizer: startPolicy.tokenizer });
    startPolicy.dispose();
  } else {
    // A critic-free algorithm (GRPO, RLOO, REINFORCE++) loads no critic model.
    const criticTrunk = recipe.critic.model && roles.length > 0 ? await loadRecipeModel(recipe.critic.model, env, recipe.seed) : startPolicy;
    learner = Learner.create({ policy: startPolicy, criticTrunk, roles, optimization: recipe.optimization, sharedTrunk: recipe.critic.sharedTrunk });
    if (criticTrunk !== startPolicy) criticTrunk.dispose();
  }
  const tokenizer = learner.policy.tokenizer;
  const context = runContext(recipe, env, learner.policy);
  const parts = await createTaskParts(recipe, context, tokenizer);
  if (recipe.guide && !schedule.usesGuide) env.logger.info(`${recipe.algorithm.name} does not use a guide: guide ${recipe.guide.id} is not loaded`);
  const guide = recipe.guide && schedule.usesGuide ? await context.createComponent('guide', recipe.guide) : undefined;
  const trainSamples = await parts.loadSamples('train');
  if (trainSamples.length === 0) throw new InvalidArgumentError({ argument: 'task', value: recipe.task.id, expected: 'a task with training samples' });
  const tracker = await createFileTracker({ dir: runDir, csv: recipe.logging.csv, resumeAfterIteration: state?.iteration });
  const progress = createProgress({ label: 'iteration', total: recipe.rollout.iterations, mode: recipe.logging.progress, isTty: env.isTty, write: env.writeProgress });
  const trainer = new RlTrainer({
    recipe,
    algorithms,
    runDir,
    task: parts.task,
    trainSamples,
    loadSamples: (split, limit) => parts.loadSamples(split, limit),
    learner,
    reference,
    guide,
    rewards: parts.rewards,
    metrics: parts.metrics,
    tracker,
    store,
    logger: env.logger,
    progress,
    startIteration: state ? state.iteration + 1 : 0,
    klState: state?.kl,
  });
  return {
    trainer,
    runDir,
    async close() {
      await tracker.close();
      await guide?.close?.();
      for (const { reward } of parts.rewards) await reward.close?.();
      for (const metric of parts.metrics) await metric.close?.();
      reference.dispose();
      learner.dispose();
    },
  };
}
