import { existsSync } from 'node:fs';
import { cp, open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { recipeSchema } from '@rlgf/recipe';
import { algorithmSchedule } from '@rlgf/trainer';
import { CliWorkspace, repositoryRoot, syntheticModel } from '../testing/cli-workspace';

// End to end on the synthetic task: tiny Llamas trained from scratch in seconds, then every RL
// algorithm from a recipe, determinism, resuming after SIGKILL, and refusals that protect runs.
let workspace: CliWorkspace;
let cwd: string;
const run = (args: string[]) => workspace.run(args);
const recipe = (name: string, body: string) => workspace.recipe(name, body);
const metricRows = (runDir: string) => workspace.metricRows(runDir);

function rlRecipe(name: string, algorithm: string, extra = ''): Promise<string> {
  return recipe(
    name,
    `task: { id: synthetic }
policy: { model: ./runs/weak/model }
guide: { id: local, options: { model: ./runs/strong/model } }
algorithm: { name: ${algorithm}${algorithm === 'd2lols' ? ', d2lolsSwitchIteration: 2, d2lolsCriticWarmupIterations: 1' : ''} }
rollout: { iterations: 4, samplesPerIteration: 16, generationBatchSize: 16 }
optimization: { learningRate: 0.001, minibatchSize: 8, epochs: 2 }
kl: { coef: 0.01 }
evaluation: { every: 2, limit: 16, final: { limit: 16 } }
checkpoint: { every: 2, keep: 2 }
logging: { progress: lines }
${extra}`,
  );
}

beforeAll(async () => {
  workspace = await CliWorkspace.create('train');
  cwd = workspace.cwd;
  await workspace.sftSynthetic('weak', { share: 0.1 });
  await workspace.sftSynthetic('strong', { share: 0.9 });
}, 120_000);

describe('rlgf sft', () => {
  it('fine-tunes from scratch toward the references', async () => {
    const weak = JSON.parse(await readFile(join(cwd, 'runs/weak/evaluations.jsonl'), 'utf8'));
    const strong = JSON.parse(await readFile(join(cwd, 'runs/strong/evaluations.jsonl'), 'utf8'));
    expect(strong['target-share']).toBeGreaterThan(0.6);
    expect(weak['target-share']).toBeLessThan(0.3);
  });
});

describe('rlgf eval', () => {
  it("scores a model with the task's reward and metrics and writes its predictions", async () => {
    const result = await run(['eval', '--model', './runs/strong/model', '--task', 'synthetic', '--split', 'test', '-n', '16', '--predictions', 'p.jsonl']);
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output).toMatchObject({ task: 'synthetic', split: 'test', prompts: 16 });
    expect(output.scores['target-share']).toBeGreaterThan(0.4);
    const lines = (await readFile(join(cwd, 'p.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    expect(lines).toHaveLength(16);
    expect(lines[0]).toEqual({ prompt: expect.any(String), prediction: expect.any(String), references: [expect.any(String)], reward: expect.any(Number) });
  });

  it('ranks N samples per prompt by the reward with --best-of', async () => {
    const single = JSON.parse((await run(['eval', '--model', './runs/weak/model', '--task', 'synthetic', '-n', '16'])).stdout);
    const best = JSON.parse((await run(['eval', '--model', './runs/weak/model', '--task', 'synthetic', '-n', '16', '--best-of', '8'])).stdout);
    expect(best.bestOf).toBe(8);
    expect(best.scores.reward).toBeGreaterThan(single.scores.reward);
  });

  it('names the unknown task', async () => {
    const result = await run(['eval', '--model', './runs/strong/model', '--task', 'synthetc']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown task "synthetc"; known tasks: .*synthetic/);
  });
});

describe('rlgf train', () => {
  const critics = ['ppo', 'ppo++', 'aggrevated', 'lols', 'd2lols'];
  it.each([...critics, 'grpo', 'grpo++', 'grpo-aggrevated', 'rloo', 'reinforce++'])('runs %s on the synthetic task from a recipe', async (algorithm) => {
    // Seed 1: LOLS's coin gives both phases in 4 iterations (seed 0 gives PPO++ four times).
    const result = await run(['train', '--config', await rlRecipe(`run-${algorithm}`, algorithm, algorithm === 'lols' ? 'seed: 1' : '')]);
    expect(result.stderr).not.toContain('error');
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary).toMatchObject({ algorithm, iterations: 4, stopReason: 'completed' });
    expect(Number.isFinite(summary.finalMetrics['target-share'])).toBe(true);
    const rows = await metricRows(summary.runDir);
    expect(rows.map((row) => row.iteration)).toEqual([1, 2, 3, 4]);
    const phases = rows.map((row) => row.phase);
    const guideShare = rows.map((row) => row['rollout/guide_token_share'] as number);
    if (['ppo', 'grpo', 'rloo', 'reinforce++'].includes(algorithm)) {
      expect(guideShare.every((share) => share === 0)).toBe(true);
      expect(result.stderr).toContain(`${algorithm} does not use a guide: guide local is not loaded`);
    }
    else expect(guideShare.some((share) => share > 0)).toBe(true);
    if (algorithm === 'd2lols') expect(phases).toEqual(['aggrevated', 'aggrevated', 'critic-warmup', 'ppo++']);
    if (algorithm === 'lols') {
      const schedule = algorithmSchedule(recipeSchema.parse({ task: 't', policy: { model: 'm' }, guide: 'local', algorithm: { name: 'lols' }, seed: 1 }));
      expect(phases).toEqual([0, 1, 2, 3].map((iteration) => schedule.planFor(iteration).phase));
      expect(phases).toEqual(['aggrevated', 'aggrevated', 'ppo++', 'ppo++']);
    }
    const firstRow = Object.keys(JSON.parse((await readFile(join(summary.runDir, 'metrics.jsonl'), 'utf8')).split('\n')[0]));
    for (const key of ['reward/mean', 'reward/std', 'kl/mean', 'policy/entropy', 'time/iteration_ms']) expect(firstRow).toContain(key);
    // Critic-free methods train no critic (and load none).
    if (critics.includes(algorithm)) expect(firstRow).toContain('value/loss');
    else expect(firstRow).not.toContain('value/loss');
    expect((await readFile(join(summary.runDir, 'metrics.csv'), 'utf8')).split('\n')[0]).toContain('reward/mean');
  }, 120_000);

  it('gives the same metrics for the same recipe and seed, and others for another seed', async () => {
    const first = await run(['train', '--config', await rlRecipe('same-a', 'ppo', 'seed: 5')]);
    const second = await run(['train', '--config', await rlRecipe('same-b', 'ppo', 'seed: 5')]);
    const other = await run(['train', '--config', await rlRecipe('same-c', 'ppo', 'seed: 6')]);
    expect(await metricRows(JSON.parse(second.stdout).runDir)).toEqual(await metricRows(JSON.parse(first.stdout).runDir));
    expect(await metricRows(JSON.parse(other.stdout).runDir)).not.toEqual(await metricRows(JSON.parse(first.stdout).runDir));
  }, 120_000);

  it.each(['d2lols', 'grpo++'])('resumes a %s run killed with SIGKILL after a checkpoint and ends with the same metrics', async (algorithm) => {
    const name = `killed-${algorithm}`;
    const path = await rlRecipe(name, algorithm);
    const straight = await run(['train', '--config', path, '--set', 'rollout.iterations=6', '--set', `outputDir=runs/straight-${algorithm}`]);
    expect(straight.code).toBe(0);
    // The checkpoint after iteration 4 is written before iteration 5 starts.
    const killed = workspace.signalWhenLogged(['train', '--config', path, '--set', 'rollout.iterations=6'], 'iteration 5/6');
    expect((await killed).signal).toBe('SIGKILL');
    const resumed = await run(['train', '--resume', `runs/${name}`]);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`runs/${name} after iteration 4`);
    expect(JSON.parse(resumed.stdout).finalMetrics).toEqual(JSON.parse(straight.stdout).finalMetrics);
    expect(await metricRows(join(cwd, `runs/${name}`))).toEqual(await metricRows(join(cwd, `runs/straight-${algorithm}`)));
    expect(await readFile(join(cwd, `runs/${name}/evaluations.jsonl`), 'utf8')).toBe(await readFile(join(cwd, `runs/straight-${algorithm}/evaluations.jsonl`), 'utf8'));
  }, 180_000);

  it('trains LoRA adapters on one frozen base (policy, reference, critics) and resumes a SIGKILLed D2LOLS run exactly', async () => {
    const lora = '{ r: 4, alpha: 8, dropout: 0.1, targetModules: [q_proj, v_proj, down_proj] }';
    const path = await rlRecipe('lora-template', 'd2lols', `critic: { lora: ${lora} }`);
    const template = (await readFile(path, 'utf8')).replace(/^name: .*\n/, '');
    const loraPath = await recipe('lora', template.replace('policy: { model: ./runs/weak/model }', `policy: { model: ./runs/weak/model, lora: ${lora} }`));
    const straight = await run(['train', '--config', loraPath, '--set', 'rollout.iterations=6', '--set', 'outputDir=runs/straight-lora']);
    expect(straight.code).toBe(0);
    // Checkpoints hold the adapters (PEFT layout) and their optimizer state, never the base weights.
    const checkpoint = join(cwd, 'runs/straight-lora/checkpoints/iteration-000006');
    const config = JSON.parse(await readFile(join(checkpoint, 'policy-adapter/adapter_config.json'), 'utf8'));
    expect(config).toMatchObject({ peft_type: 'LORA', r: 4, lora_alpha: 8, target_modules: ['q_proj', 'v_proj', 'down_proj'], base_model_name_or_path: './runs/weak/model' });
    await expect(readFile(join(checkpoint, 'policy/model.safetensors'))).rejects.toThrow();
    await expect(readFile(join(checkpoint, 'critic-guide-adapter/adapter_model.safetensors'))).resolves.toBeDefined();
    // Adapters make this run fast: killed one iteration earlier than the runs above, so that it is still running.
    const killed = workspace.signalWhenLogged(['train', '--config', loraPath, '--set', 'rollout.iterations=6'], 'iteration 4/6');
    expect((await killed).signal).toBe('SIGKILL');
    const resumed = await run(['train', '--resume', 'runs/lora']);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/resuming .*runs\/lora after iteration \d/);
    expect(JSON.parse(resumed.stdout).finalMetrics).toEqual(JSON.parse(straight.stdout).finalMetrics);
    expect(await metricRows(join(cwd, 'runs/lora'))).toEqual(await metricRows(join(cwd, 'runs/straight-lora')));
  }, 180_000);

  it('loads a model family from a plugin in a fixture folder in every loader of the run (policy, reference, critic, local guide)', async () => {
    const renamed = join(cwd, 'runs/renamed-family');
    await cp(join(cwd, 'runs/weak/model'), renamed, { recursive: true });
    const config = JSON.parse(await readFile(join(renamed, 'config.json'), 'utf8'));
    await writeFile(join(renamed, 'config.json'), JSON.stringify({ ...config, model_type: 'rlgf-test-llama', architectures: ['RlgfTestLlamaForCausalLM'] }));
    const fixture = join(repositoryRoot, 'apps/cli/src/__fixtures__/model-family-plugin');
    const body = (plugins: string) => `${plugins}
task: { id: synthetic }
policy: { model: ./runs/renamed-family }
guide: { id: local, options: { model: ./runs/renamed-family } }
algorithm: { name: ppo++ }
rollout: { iterations: 1, samplesPerIteration: 16, generationBatchSize: 16 }
optimization: { minibatchSize: 8, epochs: 1 }
evaluation: { every: 0, limit: 8, final: { limit: 8 } }
logging: { progress: none }
`;
    const without = await run(['train', '--config', await recipe('family-missing', body(''))]);
    expect(without.code).toBe(1);
    expect(without.stderr).toContain('model_type "rlgf-test-llama"');
    const withPlugin = await run(['train', '--config', await recipe('family-plugin', body(`plugins: [${fixture}]`))]);
    expect(withPlugin.stderr).not.toContain('error');
    expect(JSON.parse(withPlugin.stdout)).toMatchObject({ algorithm: 'ppo++', stopReason: 'completed' });
  }, 120_000);

  it("lets a local guide naming the LoRA policy's model share its base weights", async () => {
    const path = await recipe(
      'lora-shared-guide',
      `task: { id: synthetic }
policy: { model: ./runs/weak/model, lora: { r: 4, alpha: 8 } }
guide: { id: local, options: { model: ./runs/weak/model } }
algorithm: { name: ppo++ }
rollout: { iterations: 1, samplesPerIteration: 16, generationBatchSize: 16 }
optimization: { minibatchSize: 8, epochs: 1 }
evaluation: { every: 0, limit: 8, final: { limit: 8 } }
logging: { progress: none }
`,
    );
    const result = await run(['train', '--config', path]);
    expect(result.stderr).not.toContain('error');
    expect(result.stderr).toContain("sharing the policy's base weights");
    const unshared = await run(['train', '--config', path, '--set', 'policy.lora=null', '--set', 'outputDir=runs/lora-shared-guide-2']);
    expect(unshared.stderr).not.toContain("sharing the policy's base weights");
  }, 120_000);

  it('runs an algorithm from a plugin in a fixture folder, with its own settings, without a trainer edit', async () => {
    const fixture = join(repositoryRoot, 'apps/cli/src/__fixtures__/algorithm-plugin-mean-baseline');
    const path = await recipe(
      'plugin-algorithm',
      `plugins: [${fixture}]
task: { id: synthetic }
policy: { model: ./runs/weak/model }
algorithm: { name: mean-baseline-reinforce, advantageScale: 2 }
rollout: { iterations: 2, samplesPerIteration: 16, generationBatchSize: 16 }
optimization: { learningRate: 0.001, minibatchSize: 8, epochs: 1 }
evaluation: { every: 0, limit: 8, final: { limit: 8 } }
logging: { progress: none }
`,
    );
    const result = await run(['train', '--config', path]);
    expect(result.stderr).not.toContain('error');
    expect(JSON.parse(result.stdout)).toMatchObject({ algorithm: 'mean-baseline-reinforce', iterations: 2, stopReason: 'completed' });
    expect((await metricRows('runs/plugin-algorithm')).map((row) => row.phase)).toEqual(['mean-baseline', 'mean-baseline']);
    const typo = await run(['train', '--config', path, '--set', 'algorithm.advantageScales=2', '--set', 'outputDir=runs/plugin-algorithm-2']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('algorithm.advantageScales: not a setting of mean-baseline-reinforce (did you mean advantageScale?)');
    // Checked before anything is written: no run directory is left behind.
    expect(existsSync(join(cwd, 'runs/plugin-algorithm-2'))).toBe(false);
  }, 120_000);

  it('stops after the current iteration on SIGTERM with a checkpoint, and resumes from it', async () => {
    const path = await rlRecipe('terminated', 'ppo', 'seed: 3');
    const ended = await workspace.signalWhenLogged(['train', '--config', path, '--set', 'rollout.iterations=6'], 'iteration 2/6', 'SIGTERM');
    expect(ended).toMatchObject({ code: 0, signal: null });
    expect(ended.stderr).toContain('SIGTERM: stopping after this iteration with a checkpoint');
    const stoppedAfter = Number(/stopping after iteration (\d+) as asked/.exec(ended.stderr)?.[1]);
    expect(stoppedAfter).toBeGreaterThanOrEqual(1);
    const resumed = await run(['train', '--resume', 'runs/terminated']);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toContain(`after iteration ${stoppedAfter}`);
    expect((await metricRows('runs/terminated')).map((row) => row.iteration)).toEqual([1, 2, 3, 4, 5, 6]);
  }, 180_000);

  it('stops on a non-finite reward naming the iteration and quantity, keeping the last good checkpoint', async () => {
    const fixture = join(repositoryRoot, 'apps/cli/src/__fixtures__/nan-reward');
    const path = await rlRecipe('nan', 'ppo', `plugins: [${fixture}]\nreward: [{ id: nan-after, options: { breakAtCall: 5 } }]\n`);
    const result = await run(['train', '--config', path, '--set', 'evaluation.every=0']);
    expect(result.code).toBe(1);
    // Calls 1 and 2 are the evaluations before training (validation, then the final split);
    // iteration i (from 1) scores with call i + 2.
    expect(result.stderr).toContain('rlgf: error: non-finite reward (NaN) at iteration 3; the update was not applied');
    const state = JSON.parse(await readFile(join(cwd, 'runs/nan/checkpoints/iteration-000002/state.json'), 'utf8'));
    expect(state.iteration).toBe(2);
  }, 120_000);

  it('runs stages first, reuses them, and with --continue prints a finished run instead of redoing it', async () => {
    const path = await recipe(
      'staged',
      `stages:
  start: { kind: sft, model: { source: ${syntheticModel}, init: random }, sft: { epochs: 1, learningRate: 0.003, batchSize: 32, limit: 200, maxTokens: 16 } }
task: { id: synthetic }
policy: { model: stage:start }
guide: { id: local, options: { model: stage:start } }
algorithm: { name: ppo++ }
rollout: { iterations: 2, samplesPerIteration: 16, generationBatchSize: 16 }
optimization: { minibatchSize: 8, epochs: 1 }
evaluation: { every: 0, limit: 8, final: { limit: 8 } }
logging: { progress: none }
`,
    );
    const first = await run(['train', '--config', path, '--continue']);
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('stage start: sft');
    expect(JSON.parse(first.stdout)).toMatchObject({ algorithm: 'ppo++', iterations: 2, stopReason: 'completed' });
    const again = await run(['train', '--config', path, '--continue']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('already finished');
    expect(JSON.parse(again.stdout)).toEqual(JSON.parse(first.stdout));
    const stagesAgain = await run(['sft', '--config', path, '--set', 'outputDir=runs/staged-sft']);
    expect(stagesAgain.code).toBe(0);
    const unknown = await run(['train', '--config', path, '--set', 'guide.options.model=stage:missing', '--set', 'outputDir=runs/staged-2']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('guide.options.model: refers to stage "missing", which the recipe does not define (stages: start)');
  }, 120_000);

  it('refuses to overwrite a run and to resume a folder that is not a run, in one line', async () => {
    const path = await rlRecipe('guarded', 'ppo');
    expect((await run(['train', '--config', path, '--set', 'rollout.iterations=2'])).code).toBe(0);
    const again = await run(['train', '--config', path, '--set', 'rollout.iterations=2']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^rlgf: error: run directory .*guarded already has checkpoints \(latest after iteration 2\) \(continue it with `rlgf train --resume/);
    expect(again.stderr.trim().split('\n')).toHaveLength(1);
    const empty = await run(['train', '--resume', cwd]);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('expected a run directory: one with the recipe.yaml a run writes when it starts');
    const both = await run(['train', '--config', path, '--resume', 'runs/guarded']);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('exactly one of --config <recipe.yaml> or --resume <run dir>');
  }, 120_000);

  it('stops on a checkpoint whose weights were overwritten with NaN, naming the intact one; --checkpoint resumes from it exactly', async () => {
    const path = await rlRecipe('damaged', 'ppo', 'seed: 4');
    const straight = await run(['train', '--config', path, '--set', 'rollout.iterations=3', '--set', 'checkpoint.every=1', '--set', 'checkpoint.keep=5']);
    expect(straight.code).toBe(0);
    // NaN float32 bytes over the first 16 weights, the file's size unchanged.
    const weights = await open(join(cwd, 'runs/damaged/checkpoints/iteration-000003/policy/model.safetensors'), 'r+');
    const headerLength = Number((await weights.read(Buffer.alloc(8), 0, 8, 0)).buffer.readBigUInt64LE(0));
    await weights.write(Buffer.from(new Float32Array(16).fill(Number.NaN).buffer), 0, 64, 8 + headerLength);
    await weights.close();
    const refused = await run(['train', '--resume', 'runs/damaged']);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim().split('\n').at(-1)).toMatch(
      /^rlgf: error: the newest checkpoint .*runs\/damaged\/checkpoints\/iteration-000003 is damaged \(policy\/model\.safetensors has sha256 [0-9a-f]{64}, the manifest says [0-9a-f]{64}\); the newest intact one is after iteration 2 \(resume from it with `rlgf train --resume .*runs\/damaged --checkpoint 2`\)$/,
    );
    const resumed = await run(['train', '--resume', 'runs/damaged', '--checkpoint', '2']);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout).finalMetrics).toEqual(JSON.parse(straight.stdout).finalMetrics);
    const lonely = await run(['train', '--config', path, '--checkpoint', '1']);
    expect(lonely.stderr).toContain('--checkpoint: got 1, expected to come with --resume <run dir>');
  }, 120_000);
});
