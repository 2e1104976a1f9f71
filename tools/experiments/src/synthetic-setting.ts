import { existsSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { algorithmRecipe } from './algorithm-recipe';
import { trainOnce } from './experiment-kit';
import { runRlgf } from './run-rlgf';
import type { RunResult } from './run-results';

// The synthetic setting shared by the synthetic experiments (docs/results/synthetic.md and
// docs/results/group-methods.md): a weak policy and a strong guide, both tiny Llamas fine-tuned
// from scratch, a dense and a sparse reward, three seeds, one sample budget for every algorithm.
export const root = 'runs/experiments/synthetic';
export const seeds = [0, 1, 2];
export const iterations = 30;
export const samplesPerIteration = 32;
export const settings = [
  { name: 'dense', reward: { id: 'target-share' }, threshold: 0.5, description: 'reward = share of "a" in the 8 generated letters' },
  { name: 'sparse', reward: { id: 'target-share', options: { threshold: 0.75 } }, threshold: 0.3, description: 'reward = 1 when at least 6 of the 8 letters are "a", else 0' },
] as const;

export async function sft(name: string, share: number): Promise<string> {
  const dir = `${root}/${name}`;
  if (existsSync(`${dir}/model/config.json`)) return `./${dir}/model`;
  const recipe = {
    name,
    outputDir: dir,
    task: { id: 'synthetic', options: { referenceTargetShare: share } },
    policy: { model: { source: './plugins/task-synthetic/model', init: 'random' } },
    sft: { epochs: 2, learningRate: 0.003, batchSize: 32, limit: 1000, maxTokens: 16 },
    optimization: { maxGradNorm: 1 },
    evaluation: { limit: 128 },
    logging: { progress: 'none' },
  };
  const path = `${root}/recipes/${name}.yaml`;
  writeFileSync(path, stringify(recipe));
  await runRlgf(['sft', '--config', path], { label: name });
  return `./${dir}/model`;
}

export type SyntheticSetting = (typeof settings)[number];

/**
 * One RL run of the synthetic comparison: the weak policy, the strong guide, `setting`'s reward,
 * the same budget for every algorithm. `variant` names runs whose settings differ from the
 * defaults (`extra`), so runs with the defaults are shared by every experiment that needs them.
 */
export async function train(
  setting: SyntheticSetting,
  algorithm: string,
  seed: number,
  models: { weak: string; strong: string },
  variant?: { readonly suffix: string; readonly extra: Readonly<Record<string, unknown>> },
): Promise<RunResult> {
  const name = `${setting.name}-${algorithm}${variant ? `-${variant.suffix}` : ''}-seed${seed}`;
  const dir = `${root}/${name}`;
  return trainOnce(root, {
    name,
    outputDir: dir,
    seed,
    task: { id: 'synthetic', options: { validationSize: 128, testSize: 256 } },
    reward: [setting.reward],
    metrics: [{ id: 'target-share' }],
    policy: { model: models.weak },
    guide: { id: 'local', options: { model: models.strong } },
    algorithm: algorithmRecipe(algorithm, { d2lolsSwitchIteration: 10, lolsMixing: 0.5, numGenerations: 4, ...variant?.extra }),
    rollout: { iterations, samplesPerIteration, generationBatchSize: 32 },
    optimization: { learningRate: 0.001, minibatchSize: 16, epochs: 2 },
    kl: { coef: 0.01 },
    evaluation: { every: 2, limit: 128, final: { split: 'test', limit: 256 } },
    checkpoint: { every: iterations, keep: 1 },
    logging: { progress: 'none' },
  });
}

export async function baseline(model: string, name: string): Promise<number> {
  const output = await runRlgf(['eval', '--model', model, '--task', 'synthetic', '--split', 'test', '-n', '256', '--metrics', 'target-share', '--set', 'task.options.testSize=256'], { label: name });
  return (JSON.parse(output) as { scores: Record<string, number> }).scores['target-share'];
}
