import { RecipeError } from '@rlgf/contracts';
import { createComponentContext, createProgress, type Progress } from '@rlgf/core';
import { setBackend } from '@rlgf/models';
import type { LoadedRecipe, Recipe } from '@rlgf/recipe';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative } from 'node:path';
import { stringify } from 'yaml';
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
  /** The output folder, relative to the stage's folder, so a moved run directory still finds it. */
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
    // Written once: a stage stopped part-way continues from its epoch checkpoints.
    if (!existsSync(join(dir, 'recipe.yaml'))) await writeFile(join(dir, 'recipe.yaml'), stringify(stageRecipe));
    const result = await runSft({ ...loaded, recipe: stageRecipe, document: stageRecipe as unknown as Record<string, unknown> }, env, { runDir: dir, resume: true });
    return { kind: 'sft', output: relative(dir, result.modelDir), finishedAt: new Date().toISOString(), metrics: result.evaluation };
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
  return { kind: 'train-reward', output: relative(dir, result.checkpointDir), finishedAt: new Date().toISOString(), metrics: result.metrics };
}

/** A stage being run, as `onStage` reports it. */
export interface StageInProgress {
  readonly name: string;
  readonly kind: Stage['kind'];
  /** Its folder, `<run dir>/stages/<name>`. */
  readonly dir: string;
}

/**
 * What a stage stopped part-way keeps, for the line Ctrl-C prints: an SFT stage its newest epoch
 * checkpoint (it continues from there), any other stage nothing (it runs again).
 */
export function describeStageProgress(stage: StageInProgress): string {
  if (stage.kind !== 'sft') return `stage ${stage.name} (${stage.kind}) starts over`;
  const checkpoints = join(stage.dir, 'checkpoints');
  const done = existsSync(checkpoints)
    ? readdirSync(checkpoints)
        .filter((entry) => /^iteration-\d+$/.test(entry) && existsSync(join(checkpoints, entry, 'COMPLETE')))
        .map((entry) => Number(entry.slice('iteration-'.length)))
    : [];
  return done.length === 0 ? `stage ${stage.name} (sft) had no finished epoch and starts over` : `stage ${stage.name} (sft) keeps its checkpoint after epoch ${Math.max(...done)} and continues from it`;
}

/**
 * Runs the recipe's stages in order, as steps of the run in `runDir`: a finished stage (its
 * STAGE.json) is reused, one stopped part-way is continued (SFT, from its epoch checkpoints) or run
 * again, so `--resume` works at any point. Returns the recipe with `stage:<name>` replaced by the
 * stages' output folders.
 */
export async function runStages(loaded: LoadedRecipe, env: RunEnvironment, options: { runDir: string; onStage?: (stage: StageInProgress | undefined) => void }): Promise<LoadedRecipe> {
  checkStageReferences(loaded.recipe, loaded.source);
  if (Object.keys(loaded.recipe.stages).length > 0) await setBackend(loaded.recipe.backend);
  const outputs = new Map<string, string>();
  for (const [name, definition] of Object.entries(loaded.recipe.stages)) {
    const dir = join(options.runDir, 'stages', name);
    const marker = join(dir, 'STAGE.json');
    if (existsSync(marker)) {
      const record = JSON.parse(readFileSync(marker, 'utf8')) as StageRecord;
      // Records written before outputs were relative hold absolute paths.
      const output = isAbsolute(record.output) ? record.output : join(dir, record.output);
      env.logger.info(`stage ${name}: done before, reusing ${output}`);
      outputs.set(name, output);
      continue;
    }
    env.logger.info(`stage ${name}: ${definition.kind}`);
    await mkdir(dir, { recursive: true });
    options.onStage?.({ name, kind: definition.kind, dir });
    const resolved = { ...loaded, recipe: substituteStages(loaded.recipe, outputs) };
    const record = await runStage(name, substituteStages(definition, outputs), dir, resolved, env);
    // Marked done in one step: a stop while writing leaves the stage to be continued, never half-marked.
    await writeFile(`${marker}.tmp`, `${JSON.stringify(record, null, 2)}\n`);
    await rename(`${marker}.tmp`, marker);
    options.onStage?.(undefined);
    const output = join(dir, record.output);
    env.logger.info(`stage ${name}: finished, output ${output}`);
    outputs.set(name, output);
  }
  return { ...loaded, recipe: substituteStages(loaded.recipe, outputs) };
}
