import { RecipeError } from '@rlgf/contracts';
import { createComponentContext, createProgress, type Progress } from '@rlgf/core';
import { setBackend } from '@rlgf/models';
import { runDirectory, type LoadedRecipe, type Recipe } from '@rlgf/recipe';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunEnvironment } from './run-environment';
import { runSft } from './run-sft';

type Stage = Recipe['stages'][string];
const reference = /^stage:([a-z0-9][a-z0-9-]*)$/;

/** Every `stage:<name>` string in `value`, with its path. */
function stageReferences(value: unknown, path: string[] = []): { path: string; name: string }[] {
  if (typeof value === 'string') {
    const match = reference.exec(value);
    return match ? [{ path: path.join('.'), name: match[1] }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((item, i) => stageReferences(item, [...path, String(i)]));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([key, item]) => stageReferences(item, [...path, key]));
  return [];
}

/** `value` with every `stage:<name>` string replaced by that stage's output folder. */
export function substituteStages<T>(value: T, outputs: ReadonlyMap<string, string>): T {
  if (typeof value === 'string') {
    const match = reference.exec(value);
    return (match && outputs.has(match[1]) ? outputs.get(match[1]) : value) as T;
  }
  if (Array.isArray(value)) return value.map((item) => substituteStages(item, outputs)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substituteStages(item, outputs)])) as T;
  }
  return value;
}

/** Fails with the field of every reference to a stage that is not defined, or not defined before it. */
export function checkStageReferences(recipe: Recipe, source: string): void {
  const names = Object.keys(recipe.stages);
  const issues = stageReferences({ ...recipe, stages: {} })
    .filter((ref) => !names.includes(ref.name))
    .map((ref) => ({ path: ref.path, message: `refers to stage "${ref.name}", which the recipe does not define (stages: ${names.join(', ') || 'none'})` }));
  names.forEach((name, index) => {
    for (const ref of stageReferences(recipe.stages[name], ['stages', name])) {
      if (!names.slice(0, index).includes(ref.name)) {
        issues.push({ path: ref.path, message: `refers to stage "${ref.name}", which is not defined before stage "${name}"` });
      }
    }
  });
  if (issues.length > 0) throw new RecipeError({ source, issues });
}

interface StageRecord {
  readonly kind: string;
  readonly output: string;
  readonly finishedAt: string;
  readonly metrics?: Readonly<Record<string, number>>;
}

async function runStage(name: string, stage: Stage, dir: string, loaded: LoadedRecipe, env: RunEnvironment): Promise<StageRecord> {
  const recipe = loaded.recipe;
  if (stage.kind === 'sft') {
    // The stage evaluates with the recipe's rewards and metrics that do not wait on a later stage.
    const ready = <T>(list: readonly T[] | undefined) => {
      const kept = list?.filter((entry) => stageReferences(entry).length === 0);
      return kept && kept.length > 0 ? kept : undefined;
    };
    const stageRecipe: Recipe = {
      ...recipe,
      name: `${recipe.name}-${name}`,
      outputDir: dir,
      stages: {},
      policy: { model: stage.model },
      task: stage.task ?? recipe.task,
      sft: stage.sft,
      guide: undefined,
      reward: ready(recipe.reward),
      metrics: ready(recipe.metrics),
    };
    const result = await runSft({ ...loaded, recipe: stageRecipe, document: stageRecipe as unknown as Record<string, unknown> }, env, { resume: existsSync(join(dir, 'recipe.yaml')) });
    return { kind: 'sft', output: result.modelDir, finishedAt: new Date().toISOString(), metrics: result.evaluation };
  }
  const context = createComponentContext({ container: env.container, hub: env.hub, logger: env.logger, seed: recipe.seed, cacheDir: env.cacheDir, workingDirectory: env.cwd });
  const trainer = await context.createComponent('reward-trainer', { id: stage.trainer });
  const bars = new Map<string, Progress>();
  const result = await trainer.doTrain({
    outDir: dir,
    settings: stage.settings,
    seed: recipe.seed,
    hub: env.hub,
    logger: env.logger,
    onProgress: (phase, done, total, values) => {
      let bar = bars.get(phase);
      if (!bar) {
        for (const other of bars.values()) other.finish();
        bar = createProgress({ label: `${name} ${phase}`, total, mode: recipe.logging.progress, isTty: env.isTty, write: env.writeProgress });
        bars.set(phase, bar);
      }
      bar.update(done, values);
    },
  });
  for (const bar of bars.values()) bar.finish();
  return { kind: 'train-reward', output: result.checkpointDir, finishedAt: new Date().toISOString(), metrics: result.metrics };
}

/**
 * Runs the recipe's stages in order (each once: a finished stage is found by its STAGE.json and
 * reused) and returns the recipe with `stage:<name>` replaced by the stages' output folders.
 */
export async function runStages(loaded: LoadedRecipe, env: RunEnvironment): Promise<LoadedRecipe> {
  checkStageReferences(loaded.recipe, loaded.source);
  if (Object.keys(loaded.recipe.stages).length > 0) await setBackend(loaded.recipe.backend);
  const runDir = runDirectory(loaded.recipe, env.cwd);
  const outputs = new Map<string, string>();
  for (const [name, definition] of Object.entries(loaded.recipe.stages)) {
    const dir = join(runDir, 'stages', name);
    const marker = join(dir, 'STAGE.json');
    if (existsSync(marker)) {
      const record = JSON.parse(readFileSync(marker, 'utf8')) as StageRecord;
      env.logger.info(`stage ${name}: done before, reusing ${record.output}`);
      outputs.set(name, record.output);
      continue;
    }
    env.logger.info(`stage ${name}: ${definition.kind}`);
    await mkdir(dir, { recursive: true });
    const resolved = { ...loaded, recipe: substituteStages(loaded.recipe, outputs) };
    const record = await runStage(name, substituteStages(definition, outputs), dir, resolved, env);
    await writeFile(marker, `${JSON.stringify(record, null, 2)}\n`);
    env.logger.info(`stage ${name}: finished, output ${record.output}`);
    outputs.set(name, record.output);
  }
  return { ...loaded, recipe: substituteStages(loaded.recipe, outputs) };
}
