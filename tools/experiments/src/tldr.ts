import { markdownTable, meanPlusMinus } from '@rlgf/reporting';
import { execSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { meanCurveSvg } from './curves';
import { cachedOutput, cachedScores, experimentMinutes, runExperiment, trainOnce, writeReport } from './experiment-kit';
import { runRlgf } from './run-rlgf';
import { finalValue, iterationCurve, type RunResult } from './run-results';
import { algorithmRecipe } from './algorithm-recipe';
import { wholeNumberEnv } from './env-settings';

// The TL;DR comparison of docs/results/tldr.md: a reward model trained once on the GPT-judged
// pairs, one SFT policy, then PPO, PPO++ and D2LOLS from that start with the same sample budget,
// three seeds each. The recipes/tldr-*.yaml files run the same settings with their own stages;
// here the reward model and the SFT policy are trained once and shared, to fit the CPU budget.
// `npx nx run tool-experiments:tldr`. The policy trains a LoRA adapter (r 8, α 64) on the frozen
// SFT model, as the authors trained GPT-J; TLDR_LORA=off fine-tunes every weight instead.
const root = 'runs/experiments/tldr';
const lora = process.env.TLDR_LORA === 'off' ? undefined : { r: 8, alpha: 64 };
// Runs of the two policies live apart (the reward model and the SFT start are shared).
const runsRoot = lora ? `${root}/lora-r${lora.r}-alpha${lora.alpha}` : root;
const policyLabel = lora ? `LoRA r ${lora.r}, α ${lora.alpha}` : 'all weights';
const seeds = [0, 1, 2];
const algorithms = ['ppo', 'ppo++', 'd2lols'] as const;
const iterations = wholeNumberEnv('TLDR_ITERATIONS', 8);
const samplesPerIteration = 16;
const maxPromptTokens = 192;
const testPrompts = 50;
const rewardSettings = { taskOptions: { maxPromptTokens }, maxTokens: 224, epochs: 3, learningRate: 0.0001 };
const sftSettings = { epochs: 2, learningRate: 0.001, batchSize: 16, maxTokens: maxPromptTokens + 1 + 50 };
const metrics = ['reward_model', 'rouge1', 'rouge2', 'rougeL', 'mean_pred_length', 'perplexity'] as const;
const digits: Record<(typeof metrics)[number], number> = { reward_model: 3, rouge1: 3, rouge2: 3, rougeL: 3, mean_pred_length: 1, perplexity: 1 };

function metricRecipes(reward: string) {
  return [{ id: 'reward-model', options: { model: reward } }, { id: 'rouge' }, { id: 'diversity' }, { id: 'perplexity' }];
}

async function evaluate(name: string, model: string, reward: string): Promise<Record<string, number>> {
  const file = `${root}/evals/${name}.json`;
  return cachedScores(file, () =>
    runRlgf(
      [
        'eval', '--model', model, '--task', 'tldr', '--split', 'test', '-n', String(testPrompts),
        '--reward', 'reward-model', '--metrics', 'reward-model,rouge,diversity,perplexity',
        '--set', `task.options.maxPromptTokens=${maxPromptTokens}`,
        '--set', `reward.0.options.model=${reward}`, '--set', `metrics.0.options.model=${reward}`,
      ],
      { label: name },
    ),
  );
}

async function train(algorithm: string, seed: number, paths: { reward: string; sft: string }): Promise<RunResult> {
  const name = `${algorithm}-seed${seed}`;
  const dir = `${runsRoot}/${name}`;
  return trainOnce(runsRoot, {
    name,
    outputDir: dir,
    seed,
    task: { id: 'tldr', options: { maxPromptTokens, rewardModel: paths.reward } },
    policy: { model: paths.sft, ...(lora ? { lora } : {}) },
    ...(algorithm === 'ppo' ? {} : { guide: { id: 'local', options: { model: paths.sft } } }),
    reward: [{ id: 'reward-model', options: { model: paths.reward } }],
    metrics: metricRecipes(paths.reward),
    algorithm: algorithmRecipe(algorithm, { d2lolsSwitchIteration: Math.round(iterations * 0.4), ppoPlusPlusBeta: 0.8, aggrevatedBeta: 1.0 }),
    rollout: { iterations, samplesPerIteration, generationBatchSize: samplesPerIteration },
    optimization: { learningRate: 0.0001, minibatchSize: 8, epochs: 2, gamma: 1.0, lambda: 0.95, valueCoef: 0.1 },
    kl: { coef: 0.002 },
    evaluation: { every: iterations / 2, limit: 50, final: { split: 'test', limit: testPrompts } },
    checkpoint: { every: iterations, keep: 1 },
    logging: { progress: 'lines' },
  });
}

/** One paragraph on what the table says, from its numbers. */
function reading(zeroShot: Record<string, number>, sft: Record<string, number>, variants: readonly { name: string; runs: RunResult[] }[]): string {
  const mean = (runs: RunResult[], metric: string) => runs.reduce((sum, run) => sum + finalValue(run, 'test', metric), 0) / runs.length;
  const ranked = variants.map((v) => ({ name: v.name, reward: mean(v.runs, 'reward_model'), rouge: mean(v.runs, 'rouge1') })).sort((a, b) => b.reward - a.reward);
  const beat = ranked.filter((r) => r.reward > sft.reward_model).map((r) => r.name);
  return `Reading: from the SFT start (reward-model score ${sft.reward_model.toFixed(3)}, ROUGE-1 ${sft.rouge1.toFixed(3)}), ${beat.length === 0 ? 'no algorithm raised the mean test score' : `${beat.join(', ')} raised the mean test score`}; the ranking by reward-model score is ${ranked.map((r) => `${r.name} ${r.reward.toFixed(3)}`).join(', ')}, by ROUGE-1 ${[...ranked].sort((a, b) => b.rouge - a.rouge).map((r) => `${r.name} ${r.rouge.toFixed(3)}`).join(', ')}.${
    zeroShot.reward_model > sft.reward_model && sft.rouge1 > zeroShot.rouge1
      ? ` The zero-shot story model scores higher than SFT on this reward model (${zeroShot.reward_model.toFixed(3)}) while SFT has the better ROUGE-1 (zero-shot ${zeroShot.rouge1.toFixed(3)}): the reward model, trained on pairs where the judge mostly preferred a model summary over the Reddit author's, ranks reference-like summaries low, so the reward and the references pull the policy in different directions.`
      : ''
  }`;
}

async function rewardModel(): Promise<{ dir: string; metrics: Record<string, number>; seconds: number }> {
  const dir = `./${root}/reward`;
  const file = `${root}/evals/reward-model.json`;
  const sets = Object.entries(rewardSettings).flatMap(([key, value]) => ['--set', `${key}=${JSON.stringify(value)}`]);
  const output = await cachedOutput<{ metrics: Record<string, number>; seconds: number }>(file, () => runRlgf(['train-reward', '--task', 'tldr', '--out', dir, ...sets], { label: 'reward' }));
  return { dir, metrics: output.metrics, seconds: output.seconds };
}

function percent(value: number): string {
  return `${(100 * value).toFixed(1)}%`;
}

async function main(): Promise<void> {
  for (const dir of [`${root}/recipes`, `${runsRoot}/recipes`, `${root}/evals`, 'docs/results/tldr']) mkdirSync(dir, { recursive: true });
  const reward = await rewardModel();
  const sftRecipe = {
    name: 'tldr-sft',
    outputDir: `${root}/sft`,
    task: { id: 'tldr', options: { maxPromptTokens, rewardModel: reward.dir } },
    policy: { model: 'karpathy/tinyllamas/stories260K' },
    reward: [{ id: 'reward-model', options: { model: reward.dir } }],
    metrics: metricRecipes(reward.dir),
    sft: sftSettings,
    evaluation: { limit: 50 },
    logging: { progress: 'lines' },
  };
  writeFileSync(`${root}/recipes/sft.yaml`, stringify(sftRecipe));
  const sft = `./${root}/sft/model`;
  if (!existsSync(sft)) await runRlgf(['sft', '--config', `${root}/recipes/sft.yaml`], { label: 'sft' });
  const paths = { reward: reward.dir, sft };

  const rows: (string | number)[][] = [];
  const addRow = (name: string, results: Record<string, number>[]) => rows.push([name, ...metrics.map((m) => meanPlusMinus(results.map((r) => r[m]), digits[m]))]);
  const zeroShot = await evaluate('zero-shot', 'karpathy/tinyllamas/stories260K', reward.dir);
  addRow('zero-shot stories260K (greedy)', [zeroShot]);
  const sftScores = await evaluate('sft', sft, reward.dir);
  addRow('SFT (greedy)', [sftScores]);
  const variants: { name: string; runs: RunResult[] }[] = [];
  for (const algorithm of algorithms) {
    const runs: RunResult[] = [];
    for (const seed of seeds) runs.push(await train(algorithm, seed, paths));
    variants.push({ name: algorithm, runs });
    addRow(`${algorithm} (${policyLabel}; 3 seeds)`, runs.map((run) => Object.fromEntries(metrics.map((m) => [m, finalValue(run, 'test', m)]))));
  }
  // Reward-model training, then SFT through the last run.
  const minutes = reward.seconds / 60 + experimentMinutes(`${root}/sft/recipe.yaml`, variants.flatMap((variant) => variant.runs));
  writeFileSync('docs/results/tldr/reward-model.svg', meanCurveSvg({ title: `TL;DR: reward-model score on 50 validation posts, mean ± std over ${seeds.length} seeds`, yLabel: 'reward', split: 'validation', metric: 'reward_model', variants }));
  writeFileSync('docs/results/tldr/reward.svg', meanCurveSvg({ title: 'TL;DR: training reward (mean over the rollout batch)', yLabel: 'reward', curveOf: (run) => iterationCurve(run, 'reward/mean'), variants }));
  writeFileSync('docs/results/tldr/kl.svg', meanCurveSvg({ title: 'TL;DR: KL to the SFT reference per sequence (training)', yLabel: 'KL', curveOf: (run) => iterationCurve(run, 'kl/mean'), variants }));
  const rm = reward.metrics;
  const commit = execSync('git rev-parse --short HEAD').toString().trim();
  const report = [
    '# TL;DR summarization: reward model, PPO, PPO++ and D2LOLS (small scale)',
    '',
    `<!-- Written by tools/experiments/src/tldr.ts at commit ${commit}; numbers from one full run, ${minutes.toFixed(0)} minutes of wall-clock time on the shared 2-core machine. -->`,
    '',
    '## What the reward model was trained on, and what that limits',
    '',
    `The reward model is **not** trained on OpenAI's human comparisons (Stiennon et al. 2020): those are not available here. It is trained on the 354 pairs of \`CarperAI/openai_summarize_comparisons\` in the mirror, where a **GPT model, not people, judged** which of two summaries of a post is better, and every pair sets the post's reference (Reddit author's) TL;DR against one model-written summary (ties dropped). The judge preferred the model summary in 293 of the 354 pairs. So this reward model learns, at best, what that GPT judge liked about those particular model summaries compared with Reddit authors' own TL;DRs — one judge's taste over one pair per post, on 284 training pairs — not human preferences; its scores rank the references themselves low, which also pulls RL away from imitating the references that the auxiliary MLE loss and ROUGE reward. It cannot stand for the published TL;DR reward models, and nothing here says how the algorithms would compare against one.`,
    '',
    `Reward model: llama2.c stories260K (260K parameters, 512-token vocabulary, 512 positions) as the trunk, a bias-free scalar head (\`score.weight\`) on the last token of prompt + summary, Bradley-Terry loss −log σ(r_chosen − r_rejected), AdamW (learning rate 1e-4, linear decay), ${rewardSettings.epochs} epochs, batches of 8 pairs, seed 0; inputs of at most ${rewardSettings.maxTokens} tokens (the end kept), prompts cut as the policy sees them (${maxPromptTokens} tokens, header and \`TL;DR:\` kept). **Split by post**: each post has exactly one pair, and the pairs of the task's 400 train posts (\`test[:400]\`: ${rm.train_pairs} pairs) train, those of its 100 validation and test posts (\`test[400:]\`: ${rm.held_out_pairs} pairs) are held out, so the reward model never saw a post the policies are evaluated on.`,
    '',
    markdownTable(
      ['held-out pairs', 'pairwise accuracy (held out)', 'exact binomial p vs chance (50%)', 'before training', 'on its training pairs', '"longer summary wins" on the held-out pairs'],
      [[rm.held_out_pairs, percent(rm.pairwise_accuracy), rm.pairwise_accuracy_p_value.toPrecision(2), percent(rm.initial_pairwise_accuracy), percent(rm.train_pairwise_accuracy), percent(rm.longer_summary_accuracy)]],
    ),
    '',
    '## Policies',
    '',
    `Policy: stories260K, a tiny model trained on children's stories — it cannot summarize Reddit posts, and nothing here is about summary quality in absolute terms; what it can show is that the pipeline (task, reward model, RL algorithms, metrics) runs end to end and how the algorithms move the learned reward from the same start. SFT: ${sftSettings.epochs} epochs on the 400 train posts' references (prompt + reference cut to ${sftSettings.maxTokens} tokens), learning rate 1e-3. Prompts: at most ${maxPromptTokens} stories260K tokens (the authors used 500 GPT-J tokens; posts take 351 to 1,362 stories260K tokens, so most lose the start of the post, never the header or \`TL;DR:\`), 50 new tokens. RL: ${lora ? `a LoRA adapter (r ${lora.r}, α ${lora.alpha}, every linear layer but the head, PEFT's layout) on the frozen SFT model, as the authors trained GPT-J (r 8, α 64); the reference is the same base with the adapter off` : 'every weight of the policy'}; ${iterations} iterations × ${samplesPerIteration} samples (${iterations * samplesPerIteration} samples per run), minibatch 8, 2 epochs, learning rate 1e-4, γ 1, λ 0.95, value coefficient 0.1, β_KL 0.002 (kept in every reward), target_coef 0.1, PPO++ β 0.8, D2LOLS τ = ${Math.round(iterations * 0.4)} with AggreVaTeD β 1.0 and one critic warm-up iteration; the guide is the SFT model, frozen, sampling with nucleus p 0.92. Evaluation: the ${testPrompts} test posts (\`test[450:]\`), greedy decoding; zero-shot and SFT are greedy, so one evaluation each; RL rows are mean ± std over seeds ${seeds.join(', ')}.`,
    '',
    markdownTable(['method', 'reward-model score ↑', 'ROUGE-1 ↑', 'ROUGE-2 ↑', 'ROUGE-L ↑', 'mean length (NLTK tokens)', 'perplexity on references ↓'], rows),
    '',
    reading(zeroShot, sftScores, variants),
    '',
    '![reward-model score over iterations](tldr/reward-model.svg)',
    '',
    '![training reward](tldr/reward.svg) ![KL](tldr/kl.svg)',
    '',
    '**Win rate against the references** (`tldr-win-rate`, an LLM judge on an OpenAI-compatible endpoint with the DPO paper\'s prompt) was not measured: this machine reaches no LLM endpoint. The metric is tested against a loopback server with scripted judgments.',
    '',
    '## Scale-down, plainly',
    '',
    `The whole experiment had to fit about 1.5 hours of CPU on 2 cores shared with other work: a 260K-parameter policy instead of GPT-J, ${iterations * samplesPerIteration} RL samples per run instead of 1000 × 128, 192-token prompts instead of 500, 50 test posts, a reward model trained once (seed 0) and one SFT policy shared by all runs (the recipes train their own in their stages). Differences between algorithms smaller than the seed spread mean nothing here.`,
    '',
    '## Reproduce',
    '',
    '```sh',
    'RLGF_HUB_MIRROR=../shared/hub npx nx run tool-experiments:tldr   # TLDR_ITERATIONS changes the budget; TLDR_LORA=off trains every weight',
    'RLGF_HUB_MIRROR=../shared/hub npx rlgf train --config recipes/tldr-d2lols.yaml   # one run with its own stages',
    '```',
    '',
    `Recipes (the exact versions used) are written to \`${runsRoot}/recipes/\`; finished runs and evaluations are reused when it is run again.`,
    '',
  ];
  writeReport('docs/results/tldr.md', report);
}

runExperiment(main);
