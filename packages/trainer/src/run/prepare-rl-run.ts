import { CheckpointError, InvalidArgumentError, type CheckpointInfoV1 } from '@rlgf/contracts';
import { createProgress } from '@rlgf/core';
import { builtInModelArchitectures, setBackend, threadCount, type BackendName } from '@rlgf/models';
import type { LoadedRecipe, RecipeChange } from '@rlgf/recipe';
import { join } from 'node:path';
import { resolveAlgorithm, runAlgorithms } from '../algorithms/registry';
import { chooseCheckpoint } from '../checkpoint/choose-checkpoint';
import { CriticThread, criticWorkerFiles } from '../critics/critic-thread';
import { criticThreadPlan, policyCopyPlan } from '../critics/critic-thread-plan';
import { createDirectoryCheckpointStore } from '../checkpoint/directory-checkpoint-store';
import { Learner } from '../learner/learner';
import { createFileTracker } from '../tracking/file-tracker';
import { keepNothing, markJournalOnSave, readJournalMark } from '../tracking/journal-mark';
import { createRunTracker } from '../tracking/run-trackers';
import { loadStartModels } from './lora-models';
import { createTaskParts, runContext } from './run-components';
import type { RunEnvironment } from './run-environment';
import { RlTrainer } from './rl-trainer';
import { recordRecipeChanges } from './run-directory';
import { readRunState } from './run-state';

export interface PreparedRun {
  readonly trainer: RlTrainer;
  readonly runDir: string;
  /** Frees models, guides and rewards. */
  close(): Promise<void>;
}

export interface RlRunOptions {
  /** The run directory: opened by `startRunDirectory`, or the folder given to `--resume`. */
  readonly runDir: string;
  /** Continue from a checkpoint of the run directory (from the start when it has none yet). */
  readonly resume: boolean;
  /** With `resume`: the checkpoint after this iteration instead of the newest. */
  readonly checkpoint?: number;
  /** What `--set` changed on resume, recorded in recipe.yaml and the summary once the checkpoint is chosen. */
  readonly changes?: readonly RecipeChange[];
}

/**
 * Builds an RL run from a recipe: models, task, guide, rewards, metrics, tracking and checkpoints.
 * With `resume` it continues from the newest checkpoint, or the one after iteration `checkpoint`,
 * once it matches its manifest; a run stopped before its first checkpoint (in a stage, or in
 * iteration 1) starts from the beginning. The tracking files keep the rows the checkpoint covers.
 */
export async function prepareRlRun(loaded: LoadedRecipe, env: RunEnvironment, options: RlRunOptions): Promise<PreparedRun> {
  const recipe = loaded.recipe;
  // The built-in algorithms and any a recipe plugin registered; the settings are checked first.
  const algorithms = runAlgorithms(env.container);
  const { schedule } = resolveAlgorithm(recipe, algorithms, loaded.source);
  await setBackend(recipe.backend);
  const { runDir } = options;
  const resumeCommand = `rlgf train --resume ${runDir}`;
  const store = createDirectoryCheckpointStore({ root: join(runDir, 'checkpoints'), keep: recipe.checkpoint.keep, resumeCommand });
  // `latest` is the checkpoint this run continues from (checked against its manifest), if any.
  let latest: CheckpointInfoV1 | undefined;
  if (options.resume && options.checkpoint === undefined && (await store.list()).length === 0) {
    env.logger.info(`${runDir} has no checkpoint yet: training starts at iteration 1`);
  } else if (options.resume) {
    latest = await chooseCheckpoint(store, { runDir, iteration: options.checkpoint, logger: env.logger });
  }

  const roles = schedule.critics;
  const state = latest ? await readRunState(latest.dir) : undefined;
  if (state && state.algorithm !== recipe.algorithm.name) {
    throw new CheckpointError({ message: `checkpoint ${latest?.dir} was written by ${state.algorithm}, the recipe runs ${recipe.algorithm.name}` });
  }
  await recordRecipeChanges(runDir, loaded, options.changes ?? [], state?.iteration, env.logger);
  // With LoRA, policy, reference and critic share one frozen base (see loadStartModels).
  const start = await loadStartModels(recipe, env, { needsCritic: roles.length > 0, resuming: latest !== undefined });
  const { reference, bases } = start;
  let learner: Learner;
  if (latest) {
    env.logger.info(`resuming ${runDir} after iteration ${state?.iteration} from ${latest.dir}`);
    const loadOptions = { roles, optimization: recipe.optimization, sharedTrunk: recipe.critic.sharedTrunk, tokenizer: start.policy.tokenizer, bases, registry: env.modelRegistry };
    learner = await Learner.load(latest.dir, loadOptions);
  } else {
    learner = Learner.create({ policy: start.policy, criticTrunk: start.criticTrunk, roles, optimization: recipe.optimization, sharedTrunk: recipe.critic.sharedTrunk, bases });
  }
  // Dropped after the learner holds its views, so a shared base stays alive.
  if (latest) start.policy.dispose();
  if (start.criticTrunk !== start.policy) start.criticTrunk.dispose();
  await moveCriticsToTheirThread(learner, loaded.recipe, env);
  const tokenizer = learner.policy.tokenizer;
  const context = runContext(recipe, env, learner.policy);
  const parts = await createTaskParts(recipe, context, tokenizer);
  if (recipe.guide && !schedule.usesGuide) env.logger.info(`${recipe.algorithm.name} does not use a guide: guide ${recipe.guide.id} is not loaded`);
  const guide = recipe.guide && schedule.usesGuide ? await context.createComponent('guide', recipe.guide) : undefined;
  const trainSamples = await parts.loadSamples('train');
  if (trainSamples.length === 0) throw new InvalidArgumentError({ argument: 'task', value: recipe.task.id, expected: 'a task with training samples' });
  const keep = latest && state ? await readJournalMark(latest.dir, state.iteration) : keepNothing;
  const files = await createFileTracker({ dir: runDir, csv: recipe.logging.csv, keep, setAsideRoot: store.setAsideRoot, logger: env.logger, resumeCommand });
  const tracker = await createRunTracker(recipe, env, runDir, files);
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
    store: markJournalOnSave(store, () => files.rows()),
    logger: env.logger,
    progress,
    startIteration: state?.iteration ?? 0,
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

/** Per `criticThreadPlan`: the learner's critics move to a thread of their own, or stay, saying why when it matters. */
async function moveCriticsToTheirThread(learner: Learner, recipe: LoadedRecipe['recipe'], env: RunEnvironment): Promise<void> {
  const isBuiltIn = (config: Readonly<Record<string, unknown>>) => env.modelRegistry === undefined || builtInModelArchitectures.includes(env.modelRegistry.resolve(config));
  const roles = learner.criticRoles;
  const trunk = roles.length > 0 ? learner.critic(roles[0]).trunk : undefined;
  const plan = criticThreadPlan({
    setting: recipe.critic.thread,
    criticCount: roles.length,
    threads: threadCount(),
    backend: recipe.backend,
    sharedTrunk: recipe.critic.sharedTrunk,
    criticLora: learner.bases.critic !== undefined,
    tokenizerFiles: trunk?.tokenizerFiles !== undefined,
    builtInArchitecture: trunk !== undefined && isBuiltIn(trunk.configJson),
    // The thread lays out batches with the critic's own model, the main thread with the policy.
    sameBatchLayout: trunk !== undefined && trunk.padTokenId === learner.policy.padTokenId && trunk.info.isEncoderDecoder === learner.policy.info.isEncoderDecoder && trunk.configJson['decoder_start_token_id'] === learner.policy.configJson['decoder_start_token_id'],
  });
  if (!plan.onOwnThread) {
    if (roles.length > 0) env.logger.debug(`critics train on the main thread: ${plan.reason}`);
    return;
  }
  const files = criticWorkerFiles();
  if (files === undefined) {
    env.logger.info('critics train on the main thread: the critic thread module of @rlgf/trainer was not found');
    return;
  }
  let thread: CriticThread;
  try {
    thread = await CriticThread.start({ backend: recipe.backend as BackendName, threads: plan.criticThreads, files });
  } catch (error) {
    // Nothing has moved yet: the run goes on with its critics here.
    env.logger.warn(`critics train on the main thread: the critic thread did not start (${error instanceof Error ? error.message : String(error)})`);
    return;
  }
  const policy = learner.policy;
  const copy = policyCopyPlan({
    policyLora: learner.bases.policy !== undefined,
    tokenizerFiles: policy.tokenizerFiles !== undefined,
    builtInArchitecture: isBuiltIn(policy.configJson),
    parameterCount: policy.info.parameterCount,
  });
  await learner.moveCriticsTo(thread, plan.mainThreads, { holdsPolicy: copy.holdsPolicy });
  env.logger.info(`critics (${roles.join(', ')}) train on a thread of their own with ${plan.criticThreads} kernel thread(s); the main thread keeps ${plan.mainThreads} while they work`);
  env.logger.info(copy.holdsPolicy ? 'that thread also generates and scores beside this one with a copy of the policy (rollouts, and the evaluations with their metrics of the policy)' : `rollouts and evaluations generate and score on the main thread: ${copy.reason}`);
}
