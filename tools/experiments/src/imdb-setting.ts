import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { stringify } from 'yaml';
import { algorithmRecipe } from './algorithm-recipe';
import { cachedScores, trainOnce } from './experiment-kit';
import { runRlgf } from './run-rlgf';
import type { RunResult } from './run-results';

// What the IMDB experiments share: the reward classifier and SFT stages, the evaluation of a
// model on test prompts, and the RL recipe at a given budget. tools/experiments/src/imdb.ts runs
// the small comparison, imdb-budget.ts the authors' budget.

export const imdbMetrics = ['sentiment', 'perplexity', 'output-perplexity', 'distinct-2'] as const;

/** The reward classifier and the SFT model every IMDB run starts from. */
export interface ImdbPaths {
  readonly reward: string;
  readonly sft: string;
}

/** One RL run's budget and the algorithms' settings. */
export interface ImdbBudget {
  readonly iterations: number;
  readonly samplesPerIteration: number;
  readonly minibatchSize: number;
  readonly epochs: number;
  /** τ of D2LOLS. */
  readonly switchIteration: number;
  readonly ppoPlusPlusBeta: number;
  readonly aggrevatedBeta: number;
  /** G of the group methods. */
  readonly numGenerations: number;
  readonly evaluationEvery: number;
  readonly testPrompts: number;
}

/** The largest generation batch of at most 32 that divides the rollout batch (28 for the authors' 112). */
export function generationBatch(samplesPerIteration: number): number {
  for (let size = Math.min(32, samplesPerIteration); size > 1; size--) if (samplesPerIteration % size === 0) return size;
  return 1;
}

async function stage(name: string, args: string[], output: string): Promise<string> {
  if (!existsSync(output)) await runRlgf(args, { label: name });
  return output;
}

async function sftStage(root: string, name: string, sft: Record<string, unknown>, reward: string): Promise<string> {
  const recipe = {
    name: `imdb-${name}`,
    outputDir: `${root}/${name}`,
    task: { id: 'imdb', options: { labels: [1] } },
    policy: { model: 'karpathy/tinyllamas/stories260K' },
    reward: [{ id: 'sentiment', options: { model: reward } }],
    metrics: [{ id: 'sentiment', options: { model: reward } }],
    sft,
    evaluation: { limit: 64 },
    logging: { progress: 'lines' },
  };
  writeFileSync(`${root}/recipes/${name}.yaml`, stringify(recipe));
  return stage(name, ['sft', '--config', `${root}/recipes/${name}.yaml`], `./${root}/${name}/model`);
}

/**
 * The reward classifier (NB-LR on the IMDB train split) and the learner's start: stories260K
 * fine-tuned for one epoch on 2,000 positive reviews, as the authors fine-tuned GPT-2.
 */
export async function prepareImdb(root: string): Promise<ImdbPaths> {
  for (const dir of [`${root}/recipes`, `${root}/evals`]) mkdirSync(dir, { recursive: true });
  const reward = await stage('reward', ['train-reward', '--task', 'imdb', '--out', `./${root}/reward`], `./${root}/reward`);
  const sft = await sftStage(root, 'sft', { epochs: 1, learningRate: 0.001, batchSize: 16, limit: 2000, maxTokens: 112 }, reward);
  return { reward, sft };
}

/**
 * A guide that knows more than the learner, built from nothing but IMDB: the same model
 * fine-tuned on every positive review of the task's train split (9,926: the task holds 5,000 of
 * IMDB's 25,000 training reviews out for validation) for `epochs` epochs (the learner saw 2,000
 * once). Same size and tokenizer as the learner, so what it adds is knowledge, not capacity.
 */
export async function strongGuide(root: string, reward: string, epochs: number): Promise<string> {
  return sftStage(root, `sft-all-positive-${epochs}-epochs`, { epochs, learningRate: 0.001, batchSize: 16, maxTokens: 112 }, reward);
}

/**
 * A guide better at the reward itself, as issue #23 suggests: the SFT model after PPO for
 * sentiment at the budget of docs/results/imdb.md, with seed 100, which no learner uses.
 */
export async function rlGuide(root: string, paths: ImdbPaths): Promise<string> {
  const guideRoot = `${root}/rl-guide`;
  mkdirSync(`${guideRoot}/recipes`, { recursive: true });
  const budget: ImdbBudget = { iterations: 12, samplesPerIteration: 64, minibatchSize: 32, epochs: 2, switchIteration: 5, ppoPlusPlusBeta: 0.6, aggrevatedBeta: 0.8, numGenerations: 4, evaluationEvery: 4, testPrompts: 256 };
  const run = await trainImdb(guideRoot, { algorithm: 'ppo', seed: 100, guide: paths.sft, budget }, paths);
  return `./${run.runDir}/policy`;
}

function metricRecipes(paths: ImdbPaths) {
  return [
    { id: 'sentiment', options: { model: paths.reward } },
    { id: 'perplexity' },
    { id: 'output-perplexity', options: { model: paths.sft } },
    { id: 'diversity' },
  ];
}

/** `rlgf eval` of `model` on `testPrompts` test prompts with the IMDB metrics, cached under `<root>/evals/`. */
function imdbEvalArgs(run: { model: string; seed: number; extra: readonly string[]; testPrompts: number }, paths: ImdbPaths): string[] {
  return [
    'eval', '--model', run.model, '--task', 'imdb', '--split', 'test', '-n', String(run.testPrompts), '--seed', String(run.seed),
    '--reward', 'sentiment', '--metrics', 'sentiment,perplexity,output-perplexity,diversity',
    '--set', `reward.0.options.model=${paths.reward}`, '--set', `metrics.0.options.model=${paths.reward}`, '--set', `metrics.2.options.model=${paths.sft}`,
    ...run.extra,
  ];
}

export async function evaluateImdb(root: string, run: { name: string; model: string; seed: number; extra: string[]; testPrompts: number }, paths: ImdbPaths): Promise<Record<string, number>> {
  const file = `${root}/evals/${run.name}-seed${run.seed}.json`;
  return cachedScores(file, () => runRlgf(imdbEvalArgs(run, paths), { label: `${run.name}-${run.seed}` }));
}

/** One test prompt's text and the reward of the model's continuation. */
export interface PromptReward {
  readonly prompt: string;
  readonly reward: number;
}

/**
 * The reward of `model`'s continuation of each test prompt (an `rlgf eval --predictions` kept in
 * `file`, written only when missing), in the split's order.
 */
export async function promptRewards(file: string, run: { name: string; model: string; seed: number; testPrompts: number }, paths: ImdbPaths): Promise<PromptReward[]> {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    await runRlgf([...imdbEvalArgs({ ...run, extra: [] }, paths), '--predictions', file], { label: `${run.name}-predictions` });
  }
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const { prompt, reward } = JSON.parse(line) as { prompt: string; reward: number };
      return { prompt, reward };
    });
}

/**
 * One RL run from the SFT model with `guide` as the guide (frozen, nucleus 0.92 as the local
 * guide samples), reused when it finished before.
 */
export async function trainImdb(root: string, run: { algorithm: string; seed: number; guide: string; budget: ImdbBudget }, paths: ImdbPaths): Promise<RunResult> {
  const { algorithm, seed, budget } = run;
  const name = `${algorithm}-seed${seed}`;
  return trainOnce(root, {
    name,
    outputDir: `${root}/${name}`,
    seed,
    task: { id: 'imdb', options: { validationSize: 500, testSize: budget.testPrompts } },
    policy: { model: paths.sft },
    guide: { id: 'local', options: { model: run.guide } },
    reward: [{ id: 'sentiment', options: { model: paths.reward, includePrompt: false } }],
    metrics: metricRecipes(paths),
    algorithm: algorithmRecipe(algorithm, {
      d2lolsSwitchIteration: budget.switchIteration,
      numGenerations: budget.numGenerations,
      ppoPlusPlusBeta: budget.ppoPlusPlusBeta,
      aggrevatedBeta: budget.aggrevatedBeta,
    }),
    rollout: { iterations: budget.iterations, samplesPerIteration: budget.samplesPerIteration, generationBatchSize: generationBatch(budget.samplesPerIteration) },
    optimization: { learningRate: 0.0005, criticLearningRate: 0.001, minibatchSize: budget.minibatchSize, epochs: budget.epochs, gamma: 1, lambda: 1 },
    kl: { coef: 0.001 },
    evaluation: { every: budget.evaluationEvery, limit: 64, final: { split: 'test', limit: budget.testPrompts } },
    checkpoint: { every: Math.min(budget.iterations, 5), keep: 1 },
    logging: { progress: 'lines' },
  });
}
