import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CliWorkspace } from '../testing/cli-workspace';

// An SFT stage that trains a LoRA adapter, and an RL policy that starts from it by naming the
// stage: the adapter folder alone stands for base + adapter.
let workspace: CliWorkspace;
beforeAll(async () => {
  workspace = await CliWorkspace.create('sft-lora');
  await workspace.sftSynthetic('weak', { share: 0.1, limit: 200, evaluationLimit: 16 });
}, 120_000);

describe('SFT with sft.lora', () => {
  it('writes a PEFT adapter as the stage output, which loads alone, scores as --adapter does, and starts a LoRA policy', async () => {
    const path = await workspace.recipe(
      'lora-stages',
      `stages:
  tune:
    kind: sft
    model: ./runs/weak/model
    task: { id: synthetic, options: { referenceTargetShare: 0.9 } }
    sft: { epochs: 2, learningRate: 0.03, batchSize: 32, limit: 200, maxTokens: 16, lora: { r: 4, alpha: 16 } }
task: { id: synthetic }
policy: { model: stage:tune, lora: { r: 4, alpha: 16 } }
algorithm: { name: ppo }
rollout: { iterations: 1, samplesPerIteration: 8, generationBatchSize: 8 }
optimization: { minibatchSize: 8, epochs: 1 }
evaluation: { every: 0, limit: 8, final: { limit: 8 } }
logging: { progress: none }
`,
    );
    const result = await workspace.run(['train', '--config', path]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('policy.model is a LoRA adapter: the policy trains it further (r 4, alpha 16');

    const stage = workspace.path('runs/lora-stages/stages/tune');
    const config = JSON.parse(await readFile(join(stage, 'adapter/adapter_config.json'), 'utf8'));
    expect(config).toMatchObject({ peft_type: 'LORA', r: 4, lora_alpha: 16, base_model_name_or_path: workspace.path('runs/weak/model') });
    // Neither the stage output nor its epoch checkpoints hold base weights.
    expect(existsSync(join(stage, 'model'))).toBe(false);
    expect(existsSync(join(stage, 'checkpoints/iteration-000002/policy'))).toBe(false);
    expect(existsSync(join(stage, 'checkpoints/iteration-000002/policy-adapter/adapter_model.safetensors'))).toBe(true);

    const evaluate = async (args: string[]) => JSON.parse((await workspace.run(['eval', '--task', 'synthetic', '-n', '16', ...args])).stdout).scores as Record<string, number>;
    const alone = await evaluate(['--model', join(stage, 'adapter')]);
    expect(await evaluate(['--model', './runs/weak/model', '--adapter', join(stage, 'adapter')])).toEqual(alone);
    // The adapter trained (the SFT loss fell) and changes what the base says.
    const losses = (await workspace.metricRows(stage)).map((row) => row['sft/loss'] as number);
    expect(losses[1]).toBeLessThan(losses[0]);
    expect(await evaluate(['--model', './runs/weak/model'])).not.toEqual(alone);
  }, 180_000);
});
