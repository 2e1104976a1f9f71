import * as tf from '@tensorflow/tfjs-core';
import { qwen2Architecture } from '../architectures/qwen2';
import { idTokenizer, readFamilyFixture } from '../architectures/__fixtures__/family-fixtures';
import { sequenceInputs } from '../architectures/forward-inputs';
import { setBackend } from '../backend/set-backend';
import { createLanguageModel } from './create-language-model';
import { asCausalLanguageModel } from './load-language-model';
import { createModelRegistry, modelRegistryWith } from './model-registry';
import { createRandomLanguageModel } from './random-language-model';

// A family from outside the package: Qwen2's module under another model_type, as a plugin would add one.
const pluginFamily = { ...qwen2Architecture, modelTypes: ['my_qwen'], architectures: ['MyQwenForCausalLM'] };

describe('an open model registry', () => {
  beforeAll(() => setBackend('cpu'));

  it('lists every built-in family with its LoRA target modules', () => {
    const registry = createModelRegistry();
    expect(registry.modules.flatMap((module) => module.modelTypes)).toEqual(['llama', 'gpt2', 'qwen2', 'qwen3', 'mistral', 'gemma2', 'phi3', 'gpt_neox', 't5', 'mt5']);
    expect(registry.resolve({ model_type: 'gpt_neox' }).loraTargetModules).toEqual(['query_key_value', 'dense', 'dense_h_to_4h', 'dense_4h_to_h']);
    expect(registry.resolve({ model_type: 'phi3' }).loraTargetModules).toEqual(['qkv_proj', 'o_proj', 'gate_up_proj', 'down_proj']);
  });

  it('builds a family the built-in list lacks once a plugin passes its module, with the same logits', () => {
    const fixture = readFamilyFixture('qwen2');
    const config = { ...fixture.config, model_type: 'my_qwen', architectures: ['MyQwenForCausalLM'] };
    expect(() => createLanguageModel(config, fixture.weights, idTokenizer)).toThrow(/model_type "my_qwen".*is not supported/);
    const model = asCausalLanguageModel(createLanguageModel(config, fixture.weights, idTokenizer, { registry: modelRegistryWith([pluginFamily]), trainable: false }));
    const logits = tf.tidy(() => model.forward(sequenceInputs([fixture.inputIds[0]])).logits.arraySync());
    expect(Math.max(...logits[0][8].map((value, v) => Math.abs(value - fixture.logits[0][8][v])))).toBeLessThan(1e-4);
    model.dispose();
    const random = createRandomLanguageModel(config, idTokenizer, { seed: 1, registry: modelRegistryWith([pluginFamily]) });
    expect(random.info.modelType).toBe('qwen2');
    random.dispose();
  });

  it('starts Gemma 2 norms at zero offsets (unit gains) in fresh weights', async () => {
    const model = createRandomLanguageModel(readFamilyFixture('gemma2').config, idTokenizer, { seed: 1 });
    const norm = (await model.getWeights()).get('model.layers.0.pre_feedforward_layernorm.weight');
    expect(Array.from(norm?.data ?? [1])).toEqual(new Array(16).fill(0));
    model.dispose();
  });
});
