import {
  MODEL_LOADER,
  POLICY_MODEL,
  POLICY_TOKENIZER,
  type LanguageModelV1,
  type ComponentContextV1,
  type MetricV1,
  type TaskSampleV1,
  type TaskSplitV1,
  type TaskV1,
  type TokenizerV1,
} from '@rlgf/contracts';
import { createComponentContext, registerValue } from '@rlgf/core';
import { loadModelReference, type TrainableLanguageModel } from '@rlgf/models';
import type { Recipe } from '@rlgf/recipe';
import type { WeightedReward } from '../reward/weighted-reward';
import type { RunEnvironment } from './run-environment';
import { runModelLoader } from './run-model-loader';
import { isAbsolute, resolve } from 'node:path';

type ModelRef = Recipe['policy']['model'];

/** A recipe model's source with `./` and `../` paths resolved against the run's working directory. */
export function recipeModelSource(ref: ModelRef, env: RunEnvironment): string {
  return isAbsolute(ref.source) || !/^\.\.?\//.test(ref.source) ? ref.source : resolve(env.cwd, ref.source);
}

/** Loads a recipe model reference (llama2.c converted on first use, `init: random` seeded by the run). */
export function loadRecipeModel(ref: ModelRef, env: RunEnvironment, seed: number, trainable = true): Promise<TrainableLanguageModel> {
  return loadModelReference({ ...ref, source: recipeModelSource(ref, env) }, { hub: env.hub, cacheDir: env.cacheDir, logger: env.logger, seed, trainable, registry: env.modelRegistry });
}

/** The component context of a run, with the policy and its tokenizer registered for plugins that need them. */
export function runContext(recipe: Recipe, env: RunEnvironment, policy: LanguageModelV1): ComponentContextV1 {
  registerValue(env.container, POLICY_TOKENIZER, policy.tokenizer);
  registerValue(env.container, POLICY_MODEL, policy);
  registerValue(env.container, MODEL_LOADER, runModelLoader(env, recipe.seed));
  return createComponentContext({ container: env.container, hub: env.hub, logger: env.logger, seed: recipe.seed, cacheDir: env.cacheDir, workingDirectory: env.cwd });
}

export interface TaskParts {
  readonly task: TaskV1;
  readonly rewards: WeightedReward[];
  readonly metrics: MetricV1[];
  /** Samples of a split, capped at `limit`, loaded once per split and size. */
  readonly loadSamples: (split: TaskSplitV1, limit?: number) => Promise<TaskSampleV1[]>;
}

/** Creates the task, its rewards (the recipe's or the task's default) and metrics. */
export async function createTaskParts(recipe: Recipe, context: ComponentContextV1, tokenizer: TokenizerV1): Promise<TaskParts> {
  const task = await context.createComponent('task', recipe.task);
  const rewardRefs = recipe.reward ?? [{ ...task.defaultReward, options: task.defaultReward.options ?? {}, weight: 1 }];
  const rewards: WeightedReward[] = [];
  for (const ref of rewardRefs) rewards.push({ reward: await context.createComponent('reward', ref), weight: ref.weight });
  const metrics: MetricV1[] = [];
  for (const ref of recipe.metrics ?? task.defaultMetrics) metrics.push(await context.createComponent('metric', ref));
  const cache = new Map<string, Promise<TaskSampleV1[]>>();
  const loadSamples = (split: TaskSplitV1, limit?: number) => {
    const key = `${split}:${limit ?? 'all'}`;
    let samples = cache.get(key);
    if (!samples) {
      samples = task.doLoadSamples({ split, tokenizer, limit });
      cache.set(key, samples);
    }
    return samples;
  };
  return { task, rewards, metrics, loadSamples };
}
