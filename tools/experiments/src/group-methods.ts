import { markdownTable, meanPlusMinus } from '@rlgf/reporting';
import { execSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { algorithmRecipe } from './algorithm-recipe';
import { meanCurveSvg } from './curves';
import { runExperiment, trainOnce, writeReport } from './experiment-kit';
import { jobLimit } from './job-limit';
import { finalValue, iterationsToReach, type RunResult } from './run-results';
import { formatStats, rankVariants, separated } from './seed-stats';
import { iterations, root, samplesPerIteration, seeds, settings, sft, train, type SyntheticSetting } from './synthetic-setting';

// docs/results/group-methods.md: the critic-free group methods (GRPO, Dr. GRPO, RLOO, REINFORCE++)
// and the guided ones (GRPO++, GRPO-AggreVaTeD) beside PPO, PPO++ and D2LOLS on the synthetic
// task, dense and sparse reward, three seeds, the same sample budget; with each run's peak RSS.
// `npx nx run tool-experiments:group-methods` (EXPERIMENT_JOBS=2 runs two at once).
const variants: readonly { readonly label: string; readonly algorithm: string; readonly variant?: { suffix: string; extra: Record<string, unknown> } }[] = [
  { label: 'ppo', algorithm: 'ppo' },
  { label: 'ppo++', algorithm: 'ppo++' },
  { label: 'd2lols', algorithm: 'd2lols' },
  { label: 'grpo', algorithm: 'grpo' },
  { label: 'dr-grpo', algorithm: 'grpo', variant: { suffix: 'dr', extra: { scaleRewards: 'none', lossType: 'dr_grpo' } } },
  { label: 'rloo', algorithm: 'rloo' },
  { label: 'reinforce++', algorithm: 'reinforce++' },
  { label: 'reinforce++-baseline', algorithm: 'reinforce++', variant: { suffix: 'baseline', extra: { baseline: 'group' } } },
  { label: 'grpo++', algorithm: 'grpo++' },
  { label: 'grpo-aggrevated', algorithm: 'grpo-aggrevated' },
];

/** The process's peak RSS over the run, in MB (the last iteration's running maximum). */
const peakRss = (run: RunResult) => Number(run.iterations[run.iterations.length - 1]?.['memory/peak_rss_mb']);

// At the synthetic models' size (2 layers, width 32) the process itself (Node, TF.js, wasm) is
// nearly all of the RSS; what a critic costs shows at a wider model. One iteration of each
// algorithm with a random 8-layer, width-512 Llama (~25M parameters) on the synthetic vocabulary.
const wide = { hidden_size: 512, intermediate_size: 1376, num_hidden_layers: 8, num_attention_heads: 8, num_key_value_heads: 8 };

async function memoryProbe(): Promise<string> {
  const dir = `${root}/wide-model`;
  mkdirSync(dir, { recursive: true });
  for (const file of ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json']) copyFileSync(`plugins/task-synthetic/model/${file}`, `${dir}/${file}`);
  const config = JSON.parse(readFileSync('plugins/task-synthetic/model/config.json', 'utf8')) as Record<string, unknown>;
  writeFileSync(`${dir}/config.json`, JSON.stringify({ ...config, ...wide }, null, 2));
  const rows: (string | number)[][] = [];
  for (const algorithm of ['ppo', 'grpo', 'rloo', 'reinforce++']) {
    const name = `wide-${algorithm}`;
    const run = await trainOnce(root, {
      name,
      outputDir: `${root}/${name}`,
      task: { id: 'synthetic', options: { validationSize: 8, testSize: 8 } },
      policy: { model: { source: `./${dir}`, init: 'random' } },
      algorithm: algorithmRecipe(algorithm, { numGenerations: 4 }),
      rollout: { iterations: 1, samplesPerIteration: 32, generationBatchSize: 32 },
      optimization: { learningRate: 0.001, minibatchSize: 16, epochs: 1 },
      evaluation: { every: 0, limit: 8, final: { split: 'test', limit: 8 } },
      checkpoint: { every: 1, keep: 1 },
      logging: { progress: 'none' },
    });
    rows.push([algorithm, peakRss(run).toFixed(0)]);
  }
  return [
    '## Memory at a wider model',
    '',
    `One iteration (32 samples, minibatch 16) with a random Llama of ${wide.num_hidden_layers} layers and width ${wide.hidden_size} (about 25M parameters) on the synthetic vocabulary, wasm backend: PPO holds the policy, the reference, a critic (a copy of the trunk with a value head) and AdamW state for policy and critic; the critic-free methods hold the policy, the reference and the policy's AdamW state. Peak RSS of the rlgf process:`,
    '',
    markdownTable(['algorithm', 'peak RSS (MB)'], rows),
    '',
  ].join('\n');
}

async function section(setting: SyntheticSetting, models: { weak: string; strong: string }): Promise<string> {
  const limit = jobLimit();
  const pending = variants.map((v) => Promise.all(seeds.map((seed) => limit(() => train(setting, v.algorithm, seed, models, v.variant)))));
  const results: { name: string; runs: RunResult[] }[] = [];
  const rows: (string | number)[][] = [];
  for (const [index, v] of variants.entries()) {
    const runs = await pending[index];
    results.push({ name: v.label, runs });
    const reach = runs.map((run) => iterationsToReach(run, 'validation', 'target-share', setting.threshold) * samplesPerIteration);
    rows.push([
      v.label,
      meanPlusMinus(runs.map((run) => finalValue(run, 'test', 'target-share'))),
      meanPlusMinus(runs.map((run) => finalValue(run, 'test', 'reward'))),
      `${reach.filter(Number.isFinite).length}/${runs.length}`,
      reach.every(Number.isFinite) ? meanPlusMinus(reach, 0) : reach.map((r) => (Number.isFinite(r) ? String(r) : 'never')).join(', '),
      meanPlusMinus(runs.map(peakRss), 0),
    ]);
  }
  const plot = `group-methods/${setting.name}-target-share.svg`;
  writeFileSync(
    `docs/results/${plot}`,
    meanCurveSvg({ title: `Synthetic (${setting.name} reward): share of "a" on validation, mean ± std over ${seeds.length} seeds`, yLabel: 'target share', split: 'validation', metric: 'target-share', variants: results }),
  );
  const ranked = rankVariants(results, 'target-share');
  const best = ranked[0];
  const ppo = ranked.find((stats) => stats.name === 'ppo');
  const rss = (label: string) => results.find((r) => r.name === label)?.runs.map(peakRss).reduce((a, b) => a + b, 0) ?? 0;
  return [
    `## ${setting.name} reward: ${setting.description}`,
    '',
    markdownTable(['algorithm', 'test share of "a" (final)', 'test reward (final)', `seeds reaching share ≥ ${setting.threshold} on validation`, 'samples to reach it', 'peak RSS (MB)'], rows),
    '',
    `![learning curves](${plot})`,
    '',
    `Reading: final test share — ${ranked.map((stats) => `${stats.name} ${formatStats(stats)}`).join(', ')}. The best is ${best.name}${
      ppo && best.name !== 'ppo' ? `, ${separated(best, ppo) ? 'above PPO on every seed' : 'with seeds overlapping PPO\'s'}` : ''
    }. Peak RSS is nearly all the process at this model size (PPO ${(rss('ppo') / seeds.length).toFixed(0)} MB with a critic, GRPO ${(rss('grpo') / seeds.length).toFixed(0)} MB without): see the wider model below for what a critic costs.`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  mkdirSync(`${root}/recipes`, { recursive: true });
  mkdirSync('docs/results/group-methods', { recursive: true });
  const models = { weak: await sft('sft-weak', 0.1), strong: await sft('sft-strong', 0.9) };
  const sections: string[] = [];
  for (const setting of settings) sections.push(await section(setting, models));
  sections.push(await memoryProbe());
  const commit = execSync('git rev-parse --short HEAD').toString().trim();
  writeReport('docs/results/group-methods.md', [
    '# Group methods beside PPO and the guided algorithms (synthetic task)',
    '',
    `<!-- Written by tools/experiments/src/group-methods.ts at commit ${commit}; numbers from one full run. -->`,
    '',
    `Setting (shared with docs/results/synthetic.md): prompts of 4 random letters, 8 generated letters; the policy is a tiny Llama fine-tuned on references with 10% of the target "a", the guide one fine-tuned with 90%. ${iterations} iterations × ${samplesPerIteration} samples for every algorithm — for the group methods 8 prompts × G = 4 samples per iteration, for PPO and its guided variants 32 prompts × 1 — minibatch 16, 2 epochs, learning rate 1e-3, β_KL = 0.01 (in the reward for PPO, PPO++, D2LOLS, RLOO and REINFORCE++; a k1 loss term for the GRPO family), clip 0.2. GRPO: group std scaling, per-sequence loss; Dr. GRPO: no std scaling, \`dr_grpo\` loss; REINFORCE++-baseline: group mean subtracted first. GRPO++: with probability 0.6 a group continues one shared guide roll-in; GRPO-AggreVaTeD: every group's learner prefixes (one shared k) are completed by the guide. Seeds ${seeds.join(', ')}; every seed is in the means. Peak RSS is the process's maximum resident set over the run (wasm backend), from \`memory/peak_rss_mb\` in metrics.jsonl.`,
    '',
    ...sections,
    '## Reproduce',
    '',
    '```sh',
    'EXPERIMENT_JOBS=2 npx nx run tool-experiments:group-methods',
    '```',
    '',
    `Runs with the default settings are shared with the synthetic experiment (\`${root}/\`); finished runs are reused when it is run again.`,
    '',
  ]);
}

runExperiment(main);
