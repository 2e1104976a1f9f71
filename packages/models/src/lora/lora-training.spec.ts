import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { idTokenizer } from '../architectures/__fixtures__/family-fixtures';
import { readGoldenFixture, sameBits, type GoldenFixtureName } from '../architectures/__fixtures__/golden-fixtures';
import { sequenceInputs } from '../architectures/forward-inputs';
import { setBackend } from '../backend/set-backend';
import { CausalLanguageModel } from '../model/causal-language-model';
import { createLanguageModel } from '../model/create-language-model';
import { AdamW } from '../nn/adamw';
import { randomAdapter } from './__fixtures__/random-adapter';
import { LoraBase } from './lora-model';
import type { LoraSettings } from './lora-settings';
import { loadPeftAdapter, savePeftAdapter } from './peft-files';

const settings: LoraSettings = { r: 2, alpha: 8, dropout: 0, targetModules: ['q_proj', 'v_proj'], rslora: false };
const baseOf = (name: GoldenFixtureName = 'llama-tiny-untied') => {
  const f = readGoldenFixture(name);
  return LoraBase.of(createLanguageModel(f.config, f.weights, idTokenizer, { trainable: false }));
};
const ids = [[1, 5, 9, 3, 7, 2]];
const loss = (model: CausalLanguageModel) => () => tf.mean(model.forward(sequenceInputs(ids)).logits) as tf.Scalar;

beforeAll(() => setBackend('cpu'));

describe('training a LoRA view', () => {
  it('trains A and B of the targeted modules only; the shared base stays bit-exact; nothing leaks', async () => {
    const base = baseOf();
    const policy = base.view(base.createAdapter(settings, { seed: 1 })) as CausalLanguageModel;
    const reference = base.view() as CausalLanguageModel;
    // Two factors for q_proj and v_proj in each of the fixture's layers, nothing of the base.
    expect(policy.trainableVariables).toHaveLength(2 * 2 * 2);
    expect(reference.trainableVariables).toHaveLength(0);
    const baseBefore = await reference.getWeights();
    const optimizer = new AdamW({ learningRate: 0.05 });
    const before = tf.memory().numTensors;
    for (let step = 0; step < 2; step++) {
      const { grads, value } = tf.variableGrads(loss(policy), [...policy.trainableVariables]);
      optimizer.applyGradients(policy.trainableVariables, policy.trainableVariables.map((v) => grads[v.name]));
      value.dispose();
      tf.dispose(grads);
    }
    const afterStep = tf.memory().numTensors;
    // AdamW's two moments per trained variable are the only new tensors.
    expect(afterStep - before).toBe(2 * policy.trainableVariables.length);
    for (const [name, tensor] of await reference.getWeights()) expect(sameBits(tensor, baseBefore.get(name) ?? tensor)).toBe(true);
    const changed = tf.tidy(() => tf.sub(policy.forward(sequenceInputs(ids)).logits, reference.forward(sequenceInputs(ids)).logits).abs().max().dataSync()[0]);
    expect(changed).toBeGreaterThan(1e-4);
    optimizer.dispose();
    policy.dispose();
    reference.dispose();
  });

  it('drops inputs only under a gradient tape, reproducibly from the seed and draw count', () => {
    const base = baseOf();
    const noisy = { ...settings, dropout: 0.5 };
    const a = base.view(randomAdapter(base, noisy)) as CausalLanguageModel;
    const b = a.clone() as CausalLanguageModel;
    const inference = tf.tidy(() => loss(a)().dataSync()[0]);
    const taped = (model: CausalLanguageModel) => {
      const { value, grads } = tf.variableGrads(loss(model), [...model.trainableVariables]);
      const result = value.dataSync()[0];
      tf.dispose([value, grads]);
      return result;
    };
    const first = taped(a);
    expect(first).not.toBeCloseTo(inference, 6);
    expect(taped(b)).toBe(first);
    expect(taped(a)).not.toBe(first);
    expect(tf.tidy(() => loss(a)().dataSync()[0])).toBe(inference);
    a.dispose();
    b.dispose();
  });

  it('rsLoRA scales by alpha/√r, plain LoRA by alpha/r', () => {
    const base = baseOf();
    expect(base.createAdapter({ ...settings, r: 4, alpha: 8 }, { seed: 1 }).scale).toBe(2);
    const rs = base.createAdapter({ ...settings, r: 4, alpha: 8, rslora: true }, { seed: 1 });
    expect(rs.scale).toBe(4);
    base.view(rs).dispose();
  });
});

describe('PEFT adapter files', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'rlgf-lora-'));

  it('round-trip bit-exactly in PEFT names and layout, GPT-2 with fan_in_fan_out', async () => {
    const base = baseOf('gpt2-tiny');
    const adapter = randomAdapter(base, { ...settings, targetModules: ['c_attn', 'c_fc'], rslora: true });
    const out = dir();
    await savePeftAdapter(adapter, out, { baseModel: 'openai-community/gpt2', encoderDecoder: false });
    const config = JSON.parse(readFileSync(join(out, 'adapter_config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ peft_type: 'LORA', task_type: 'CAUSAL_LM', r: 2, lora_alpha: 8, use_rslora: true, fan_in_fan_out: true, bias: 'none', target_modules: ['c_attn', 'c_fc'], base_model_name_or_path: 'openai-community/gpt2' });
    const loaded = await loadPeftAdapter(base, out, { seed: 1 });
    const [saved, again] = [await adapter.toPeft(), await loaded.toPeft()];
    expect([...again.keys()]).toEqual([...saved.keys()]);
    expect([...saved.keys()][0]).toBe('base_model.model.transformer.h.0.attn.c_attn.lora_A.weight');
    for (const [name, tensor] of saved) expect(sameBits(tensor, again.get(name) ?? tensor)).toBe(true);
    base.view(adapter).dispose();
    base.view(loaded).dispose();
  });

  it('refuse unsupported PEFT features, adapters for another base and unknown targets in one line', async () => {
    const base = baseOf();
    const out = dir();
    await savePeftAdapter(randomAdapter(base, settings), out, { baseModel: 'tiny-llama-a', encoderDecoder: false });
    const config = JSON.parse(readFileSync(join(out, 'adapter_config.json'), 'utf8')) as Record<string, unknown>;
    const withConfig = (patch: Record<string, unknown>) => writeFileSync(join(out, 'adapter_config.json'), JSON.stringify({ ...config, ...patch }));
    withConfig({ use_dora: true });
    await expect(loadPeftAdapter(base, out, { seed: 1 })).rejects.toThrow(/uses DoRA \(use_dora\)/);
    withConfig({ bias: 'all' });
    await expect(loadPeftAdapter(base, out, { seed: 1 })).rejects.toThrow(/uses bias training \(bias "all"\)/);
    withConfig({ modules_to_save: ['lm_head'] });
    await expect(loadPeftAdapter(base, out, { seed: 1 })).rejects.toThrow(/modules_to_save/);
    withConfig({ r: 3 });
    await expect(loadPeftAdapter(base, out, { seed: 1 })).rejects.toThrow(
      /tensor base_model\.model\.model\.layers\.0\.self_attn\.q_proj\.lora_A\.weight has shape \[2, \d+\], this model needs \[3, \d+\].*made for tiny-llama-a/,
    );
    withConfig({});
    const gpt2 = baseOf('gpt2-tiny');
    await expect(loadPeftAdapter(gpt2, out, { seed: 1 })).rejects.toThrow(/adapts model\.layers\.0\.self_attn\.q_proj, which this gpt2 model does not have.*made for tiny-llama-a/);
    expect(() => base.createAdapter({ ...settings, targetModules: ['q_proj', 'c_attn'] }, { seed: 1 })).toThrow(
      'targetModules: got "c_attn", expected a linear layer of this llama model (q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj)',
    );
    gpt2.view().dispose();
    base.view().dispose();
  });
});
