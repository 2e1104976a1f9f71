import { markdownTable, meanPlusMinus } from '@rlgf/reporting';
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { meanCurveSvg } from './curves';
import { runExperiment, writeReport } from './experiment-kit';
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
    }. Peak RSS: PPO ${(rss('ppo') / seeds.length).toFixed(0)} MB (policy, reference, critic), GRPO ${(rss('grpo') / seeds.length).toFixed(0)} MB (policy and reference, no critic).`,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  mkdirSync(`${root}/recipes`, { recursive: true });
  mkdirSync('docs/results/group-methods', { recursive: true });
  const models = { weak: await sft('sft-weak', 0.1), strong: await sft('sft-strong', 0.9) };
  const sections: string[] = [];
  for (const setting of settings) sections.push(await section(setting, models));
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
