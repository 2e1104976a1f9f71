import { CheckpointError } from '@rlgf/contracts';
import { createProgress, deriveSeed } from '@rlgf/core';
import { saveLanguageModel, setBackend } from '@rlgf/models';
import { runDirectory, type LoadedRecipe } from '@rlgf/recipe';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { createDirectoryCheckpointStore } from '../checkpoint/directory-checkpoint-store';
import { evaluatePolicy } from '../evaluation/evaluate';
import { Learner } from '../learner/learner';
import { createFileTracker } from '../tracking/file-tracker';
import { createTaskParts, loadRecipeModel, runContext } from './run-components';
import type { RunEnvironment } from './run-environment';
import { readRunState } from './run-state';
import { sftExamples } from './sft-examples';
import { trainSft } from './sft-trainer';

export interface SftResult {
  readonly runDir: string;
  /** The fine-tuned model, in Hub format. */
  readonly modelDir: string;
  readonly examples: number;
  readonly evaluation: Record<string, number>;
}

/**
 * `rlgf sft`: fine-tunes the recipe's policy on the task references, writes the model to
 * `<run dir>/model` and evaluates it on the evaluation split. Resumable after any epoch.
 */
export async function runSft(loaded: LoadedRecipe, env: RunEnvironment, options: { resume: boolean }): Promise<SftResult> {
  const recipe = loaded.recipe;
  await setBackend(recipe.backend);
  const runDir = runDirectory(recipe, env.cwd);
  const modelDir = join(runDir, 'model');
  const store = createDirectoryCheckpointStore({ root: join(runDir, 'checkpoints'), keep: recipe.checkpoint.keep });
  const latest = await store.latest();
  if (!options.resume && (latest || existsSync(modelDir))) {
    throw new CheckpointError({
      message: `run directory ${runDir} already holds an SFT run`,
      hint: `continue it with --resume, or choose another directory with --set outputDir=<dir>`,
    });
  }
  await mkdir(runDir, { recursive: true });
  if (!options.resume) await writeFile(join(runDir, 'recipe.yaml'), stringify(loaded.document));
  const state = latest ? await readRunState(latest.dir) : undefined;
  const start = await loadRecipeModel(recipe.policy.model, env, recipe.seed);
  const learner = latest
    ? await Learner.load(latest.dir, { roles: [], optimization: recipe.optimization, sharedTrunk: false, tokenizer: start.tokenizer })
    : Learner.create({ policy: start, criticTrunk: start, roles: [], optimization: { ...recipe.optimization, learningRate: recipe.sft.learningRate }, sharedTrunk: false });
  if (latest) start.dispose();
  const tokenizer = learner.policy.tokenizer;
  const parts = await createTaskParts(recipe, runContext(recipe, env, learner.policy), tokenizer);
  try {
    const samples = await parts.loadSamples('train', recipe.sft.limit);
    const examples = sftExamples(samples, tokenizer, recipe.sft.maxTokens);
    env.logger.info(`SFT on ${examples.length} examples from ${samples.length} ${parts.task.id} prompts, ${recipe.sft.epochs} epoch(s)`);
    const tracker = await createFileTracker({ dir: runDir, csv: recipe.logging.csv, resumeAfterIteration: state?.iteration });
    const stepsPerEpoch = Math.ceil(examples.length / recipe.sft.batchSize);
    const progress = createProgress({ label: 'step', total: recipe.sft.epochs * stepsPerEpoch, mode: recipe.logging.progress, isTty: env.isTty, write: env.writeProgress });
    await trainSft({ recipe, examples, learner, tracker, store, progress, logger: env.logger, startEpoch: state ? state.iteration + 1 : 0 });
    await saveLanguageModel(learner.policy, modelDir);
    const evalSamples = await parts.loadSamples(recipe.evaluation.split, recipe.evaluation.limit);
    const result = await evaluatePolicy(
      {
        samples: evalSamples,
        promptIds: evalSamples.map((s) => [...(s.promptIds ?? tokenizer.encode(s.prompt))]),
        decoding: recipe.evaluation.decoding ?? parts.task.generation.evalDecoding,
        maxNewTokens: recipe.rollout.maxNewTokens ?? parts.task.generation.maxNewTokens,
        minNewTokens: recipe.rollout.minNewTokens ?? parts.task.generation.minNewTokens ?? 0,
        batchSize: recipe.rollout.generationBatchSize,
        seedOf: (chunk) => deriveSeed(recipe.seed, 'evaluation', recipe.evaluation.split, recipe.sft.epochs, chunk),
      },
      { policy: learner.policy, tokenizer, rewards: parts.rewards, metrics: parts.metrics },
    );
    tracker.logEvaluation(recipe.sft.epochs, recipe.evaluation.split, result.values);
    await tracker.close();
    return { runDir, modelDir, examples: examples.length, evaluation: result.values };
  } finally {
    for (const { reward } of parts.rewards) await reward.close?.();
    for (const metric of parts.metrics) await metric.close?.();
    learner.dispose();
  }
}
