import { markdownTable, meanPlusMinus } from '@rlgf/reporting';
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { meanCurveSvg } from './curves';
import { jobLimit } from './job-limit';
import { cachedScores, experimentMinutes, runExperiment, trainOnce, writeReport } from './experiment-kit';
import { permutationTest } from './significance';
import { runRlgf } from './run-rlgf';
import { formatStats, rankVariants, separated } from './seed-stats';
import { finalValue, iterationCurve, type RunResult } from './run-results';
import { algorithmRecipe } from './algorithm-recipe';
import { wholeNumberEnv } from './env-settings';

// The CommonGen comparison of docs/results/commongen.md, scaled down to a 2-core machine: a tiny
// T5 trained from scratch (SFT) on a subset of CommonGen, then PPO, PPO++ and D2LOLS from that
// SFT model (also the guide), three seeds each, the same sample budget; metrics on test concept
// sets with 5-beam search. `npx nx run tool-experiments:commongen` (RLGF_HUB_MIRROR set).
const root = 'runs/experiments/commongen';
const seeds = [0, 1, 2];
const algorithms = ['ppo', 'ppo++', 'd2lols'] as const;
const settings = {
  trainSets: wholeNumberEnv('COMMONGEN_TRAIN_SETS', 8000),
  sftEpochs: wholeNumberEnv('COMMONGEN_SFT_EPOCHS', 4),
  iterations: wholeNumberEnv('COMMONGEN_ITERATIONS', 40),
  samplesPerIteration: 64,
  validationSets: 64,
  testSets: wholeNumberEnv('COMMONGEN_TEST_SETS', 300),
};
const switchIteration = Math.round(settings.iterations * 0.2);
const spice = process.env.SPICE_JAR !== undefined && existsSync(process.env.SPICE_JAR);
const metricIds = ['bleu', 'rouge', 'meteor', 'cider-d', 'coverage', ...(spice ? ['spice'] : [])];
const columns: [string, string, number][] = [
  ['bleu', 'BLEU (sacreBLEU, 0-100)', 2],
  ['rouge2', 'ROUGE-2', 3],
  ['rougeL', 'ROUGE-L', 3],
  ['meteor', 'METEOR', 3],
  ['cider-d', 'CIDEr-D', 3],
  ['coverage', 'coverage', 3],
  ...(spice ? ([['spice', 'SPICE', 3]] as [string, string, number][]) : []),
];
const task = { id: 'commongen', options: { trainSize: settings.trainSets, validationSize: settings.validationSets, testSize: settings.testSets } };

async function sft(): Promise<{ model: string; scores: Record<string, number> }> {
  const dir = `${root}/sft`;
  if (!existsSync(`${dir}/model/config.json`)) {
    const recipe = {
      name: 'commongen-sft',
      outputDir: dir,
      task,
      policy: { model: { source: './plugins/task-commongen/model', init: 'random' } },
      metrics: metricIds.map((id) => ({ id })),
      sft: { epochs: settings.sftEpochs, learningRate: 0.005, batchSize: 32, maxTokens: 48 },
      optimization: { maxGradNorm: 1 },
      evaluation: { limit: settings.validationSets },
      logging: { progress: 'lines' },
    };
    writeFileSync(`${root}/recipes/sft.yaml`, stringify(recipe));
    await runRlgf(['sft', '--config', `${root}/recipes/sft.yaml`], { label: 'sft' });
  }
  const scores = await cachedScores(`${root}/evals/sft-test.json`, () => {
    const args = ['eval', '--model', `./${dir}/model`, '--task', 'commongen', '--split', 'test', '-n', String(settings.testSets), '--metrics', metricIds.join(',')];
    const overrides = Object.entries(task.options).flatMap(([key, value]) => ['--set', `task.options.${key}=${value}`]);
    return runRlgf([...args, ...overrides, '--predictions', `${root}/evals/sft-test-predictions.jsonl`], { label: 'eval-sft' });
  });
  return { model: `./${dir}/model`, scores };
}

async function train(algorithm: string, seed: number, model: string): Promise<RunResult> {
  const name = `${algorithm}-seed${seed}`;
  const dir = `${root}/${name}`;
  return trainOnce(root, {
    name,
    outputDir: dir,
    seed,
    task,
    policy: { model },
    guide: { id: 'local', options: { model } },
    metrics: metricIds.map((id) => ({ id })),
    algorithm: algorithmRecipe(algorithm, { ppoPlusPlusBeta: 0.8, aggrevatedBeta: 0.8, d2lolsSwitchIteration: switchIteration }),
    rollout: { iterations: settings.iterations, samplesPerIteration: settings.samplesPerIteration, generationBatchSize: 32, decoding: { strategy: 'sample', topK: 0 } },
    optimization: { learningRate: 0.0002, minibatchSize: 32, epochs: 2 },
    kl: { coef: 0 },
    evaluation: { every: 8, limit: settings.validationSets, final: { split: 'test', limit: settings.testSets } },
    checkpoint: { every: settings.iterations, keep: 1 },
    logging: { progress: 'lines' },
  });
}

/** A table row: each metric's mean ± std over seeds, and the permutation test of CIDEr-D against `ppo`'s seeds (when given). */
function row(name: string, results: readonly Record<string, number>[], ppo?: readonly Record<string, number>[]): (string | number)[] {
  const pVsPpo = ppo === undefined ? '' : permutationTest(results.map((r) => r['cider-d']), ppo.map((r) => r['cider-d'])).toFixed(2);
  return [name, ...columns.map(([key, , digits]) => meanPlusMinus(results.map((r) => r[key]), digits)), pVsPpo];
}

async function main(): Promise<void> {
  for (const dir of [`${root}/recipes`, `${root}/evals`, 'docs/results/commongen']) mkdirSync(dir, { recursive: true });
  const start = await sft();
  const rows = [row('SFT (tiny T5 from scratch; one model, beam search is deterministic)', [start.scores])];
  const variants: { name: string; runs: RunResult[] }[] = [];
  const limit = jobLimit();
  const trainedRuns = algorithms.map((algorithm) => Promise.all(seeds.map((seed) => limit(() => train(algorithm, seed, start.model)))));
  const scoresOf = (runs: readonly RunResult[]) => runs.map((run) => Object.fromEntries(columns.map(([key]) => [key, finalValue(run, 'test', key)])));
  const ppoScores = scoresOf(await trainedRuns[algorithms.indexOf('ppo')]);
  for (const [index, algorithm] of algorithms.entries()) {
    const runs = await trainedRuns[index];
    variants.push({ name: algorithm, runs });
    rows.push(row(algorithm, scoresOf(runs), algorithm === 'ppo' ? undefined : ppoScores));
  }
  writeFileSync(
    'docs/results/commongen/cider-d.svg',
    meanCurveSvg({ title: `CommonGen: CIDEr-D on ${settings.validationSets} validation concept sets (5 beams), mean ± std over ${seeds.length} seeds`, yLabel: 'CIDEr-D', split: 'validation', metric: 'cider-d', variants }),
  );
  writeFileSync(
    'docs/results/commongen/reward.svg',
    meanCurveSvg({ title: 'CommonGen: training reward (CIDEr-D over each rollout batch)', yLabel: 'reward', curveOf: (run) => iterationCurve(run, 'reward/mean'), variants }),
  );
  const commit = execSync('git rev-parse --short HEAD').toString().trim();
  const minutes = experimentMinutes(`${root}/sft/recipe.yaml`, variants.flatMap((variant) => variant.runs));
  writeReport('docs/results/commongen.md', report(rows, reading(start.scores, variants), commit, minutes));
}

/** A few sentences on what the table shows, from the numbers themselves. */
function reading(sft: Record<string, number>, variants: readonly { name: string; runs: RunResult[] }[]): string {
  const ranked = rankVariants(variants, 'cider-d');
  const [best, second] = ranked;
  const overSft = ranked.filter((s) => s.min > sft['cider-d']).map((s) => s.name);
  return [
    `Reading: on test CIDEr-D (the reward), ${ranked.map((s) => `${s.name} ${formatStats(s)}`).join(', ')}; the SFT start scores ${sft['cider-d'].toFixed(3)}.`,
    separated(best, second) ? `Every seed of ${best.name} beats every seed of ${second.name}.` : `The seeds of ${best.name} and ${second.name} overlap: with three seeds the ranking between them is not settled.`,
    overSft.length > 0 ? `Every seed of ${overSft.join(' and ')} improves on the SFT start.` : 'No algorithm improves on the SFT start on every seed.',
  ].join(' ');
}

function report(rows: (string | number)[][], readingText: string, commit: string, minutes: number): string[] {
  const { trainSets, sftEpochs, iterations, samplesPerIteration, validationSets, testSets } = settings;
  return [
    '# CommonGen: guided algorithms against PPO (tiny T5 from scratch, small scale)',
    '',
    `<!-- Written by tools/experiments/src/commongen.ts at commit ${commit}; numbers from one full run, ${minutes.toFixed(0)} minutes of wall-clock time on the shared 2-core machine (SFT through the last run). -->`,
    '',
    `What ran. Policy: a tiny T5 (\`plugins/task-commongen/model\`: T5 v1.0, 2+2 layers, width 64, 0.35M parameters, a 2,000-piece SentencePiece unigram tokenizer trained on CommonGen train) initialised at random and fine-tuned (SFT) for ${sftEpochs} epochs on ${trainSets} train concept sets with all of their references (learning rate 5e-3, batch 32). There is no pretrained T5 here and the authors' T5-base is ~600x larger: read the numbers as a comparison of algorithms on a weak model, not as CommonGen results. The SFT model is the start of every RL run and, frozen, the guide (nucleus p = 0.92), as in the authors' setup. RL: ${iterations} iterations × ${samplesPerIteration} samples (the same budget for every algorithm), pure sampling (top-k 0), at most 20 new tokens and EOS from the 5th, minibatch 32, 2 epochs, learning rate 2e-4, β_KL 0 and target_coef 0.1 (the authors' CommonGen settings), PPO++ β 0.8, AggreVaTeD β 0.8, D2LOLS τ = ${switchIteration} with one critic warm-up iteration. Reward: CIDEr-D of each sample against all references of its concept set, document frequencies over the rollout batch (plugins/reward-metrics)${spice ? ' plus SPICE' : '; SPICE is not installed here, so the reward is CIDEr-D alone and SPICE is not reported'}. Evaluation: 5-beam search on ${validationSets} validation concept sets every 8 iterations and on ${testSets} test concept sets at the end; metrics as the reference implementations compute them (sacreBLEU, rouge-score F-measure with stemming, NLTK METEOR, pycocoevalcap CIDEr-D, concept coverage). Seeds ${seeds.join(', ')}; every RL row is mean ± std over them; p vs PPO: exact two-sided permutation test of the difference in mean test CIDEr-D over all relabellings of the pooled seeds (the smallest p it can give at 3 against 3 seeds is 0.10).`,
    '',
    markdownTable(['method', ...columns.map(([, label]) => label), 'p vs PPO (CIDEr-D)'], rows),
    '',
    readingText,
    '',
    '![validation CIDEr-D over iterations](commongen/cider-d.svg)',
    '',
    '![training reward](commongen/reward.svg)',
    '',
    '## Reproduce',
    '',
    '```sh',
    'RLGF_HUB_MIRROR=../shared/hub npx nx run tool-experiments:commongen',
    '# COMMONGEN_TRAIN_SETS, COMMONGEN_SFT_EPOCHS, COMMONGEN_ITERATIONS, COMMONGEN_TEST_SETS change the budget; SPICE_JAR adds SPICE',
    '```',
    '',
    `Recipes (the exact versions used) are written to \`${root}/recipes/\`; finished runs and evaluations are reused when it is run again. \`recipes/commongen-sft.yaml\` and \`recipes/commongen-d2lols.yaml\` are the same settings as standalone recipes.`,
    '',
  ];
}

runExperiment(main);
