import { createProgress, deriveSeed } from '@rlgf/core';
import { setBackend } from '@rlgf/models';
import type { LoadedRecipe, RecipeChange } from '@rlgf/recipe';
import { join } from 'node:path';
import { createDirectoryCheckpointStore } from '../checkpoint/directory-checkpoint-store';
import { describeTimings, evaluatePolicy } from '../evaluation/evaluate';
import { Learner } from '../learner/learner';
import { createFileTracker } from '../tracking/file-tracker';
import { keepNothing, markJournalOnSave, readJournalMark } from '../tracking/journal-mark';
import { createTaskParts, runContext } from './run-components';
import { generationLength } from './generation-length';
import type { RunEnvironment } from './run-environment';
import { recordRecipeChanges } from './run-directory';
import { readRunState } from './run-state';
import { sftExamples } from './sft-examples';
import { loadSftModel, saveSftOutput } from './sft-model';
import { trainSft } from './sft-trainer';

export interface SftResult {
  readonly runDir: string;
  /** The fine-tuned model, in Hub format, or with `sft.lora` its adapter in PEFT's layout. */
  readonly modelDir: string;
  readonly examples: number;
  readonly evaluation: Record<string, number>;
}

/**
 * `rlgf sft`: fine-tunes the recipe's policy on the task references, writes the model to
 * `<run dir>/model` (with `sft.lora`, the adapter to `<run dir>/adapter`) and evaluates it on the evaluation split, in `runDir` (opened by
 * `startRunDirectory`, or the folder given to `--resume`). With `resume` it continues after the
 * newest epoch checkpoint, if any; the tracking files keep the rows that checkpoint covers.
 */
export async function runSft(loaded: LoadedRecipe, env: RunEnvironment, options: { runDir: string; resume: boolean; changes?: readonly RecipeChange[] }): Promise<SftResult> {
  const recipe = loaded.recipe;
  await setBackend(recipe.backend);
  const { runDir } = options;
  const modelDir = join(runDir, recipe.sft.lora ? 'adapter' : 'model');
  const resumeCommand = `rlgf sft --resume ${runDir}`;
  const store = createDirectoryCheckpointStore({ root: join(runDir, 'checkpoints'), keep: recipe.checkpoint.keep, resumeCommand });
  const latest = options.resume ? await store.latest() : undefined;
  const state = latest ? await readRunState(latest.dir) : undefined;
  await recordRecipeChanges(runDir, loaded, options.changes ?? [], state?.iteration, env.logger);
  const { policy: start, bases } = await loadSftModel(recipe, env);
  const learner = latest
    ? await Learner.load(latest.dir, { roles: [], optimization: recipe.optimization, sharedTrunk: false, tokenizer: start.tokenizer, bases, registry: env.modelRegistry })
    : Learner.create({ policy: start, criticTrunk: start, roles: [], optimization: { ...recipe.optimization, learningRate: recipe.sft.learningRate }, sharedTrunk: false, bases });
  // Dropped after the learner holds its view, so a shared base stays alive.
  if (latest) start.dispose();
  const tokenizer = learner.policy.tokenizer;
  const parts = await createTaskParts(recipe, runContext(recipe, env, learner.policy), tokenizer);
  try {
    const samples = await parts.loadSamples('train', recipe.sft.limit);
    const examples = sftExamples(samples, tokenizer, recipe.sft.maxTokens);
    env.logger.info(`SFT on ${examples.length} examples from ${samples.length} ${parts.task.id} prompts, ${recipe.sft.epochs} epoch(s)`);
    const keep = latest && state ? await readJournalMark(latest.dir, state.iteration) : keepNothing;
    const tracker = await createFileTracker({ dir: runDir, csv: recipe.logging.csv, keep, setAsideRoot: store.setAsideRoot, logger: env.logger, resumeCommand });
    const stepsPerEpoch = Math.ceil(examples.length / recipe.sft.batchSize);
    const progress = createProgress({ label: 'step', total: recipe.sft.epochs * stepsPerEpoch, mode: recipe.logging.progress, isTty: env.isTty, write: env.writeProgress });
    await trainSft({ recipe, examples, learner, tracker, store: markJournalOnSave(store, () => tracker.rows()), progress, logger: env.logger, startEpoch: state?.iteration ?? 0 });
    await saveSftOutput(learner, modelDir, bases);
    const evalSamples = await parts.loadSamples(recipe.evaluation.split, recipe.evaluation.limit);
    const result = await evaluatePolicy(
      {
        samples: evalSamples,
        promptIds: evalSamples.map((s) => [...(s.promptIds ?? tokenizer.encode(s.prompt))]),
        decoding: recipe.evaluation.decoding ?? parts.task.generation.evalDecoding,
        ...generationLength(recipe, parts.task),
        batchSize: recipe.rollout.generationBatchSize,
        seedOf: (chunk) => deriveSeed(recipe.seed, 'evaluation', recipe.evaluation.split, recipe.sft.epochs, chunk),
      },
      { policy: learner.policy, tokenizer, rewards: parts.rewards, metrics: parts.metrics },
    );
    tracker.logEvaluation(recipe.sft.epochs, recipe.evaluation.split, result.values);
    env.logger.debug(`time of the evaluation on ${recipe.evaluation.split} after SFT: ${describeTimings(result.timings)}`);
    await tracker.close();
    return { runDir, modelDir, examples: examples.length, evaluation: result.values };
  } finally {
    for (const { reward } of parts.rewards) await reward.close?.();
    for (const metric of parts.metrics) await metric.close?.();
    learner.dispose();
  }
}
