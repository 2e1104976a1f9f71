import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ModelFormatError } from '@rlgf/contracts';
import { setBackend } from '../backend/set-backend';
import type { HostTensor, WeightMap } from '../weights/weight-map';
import { sameBits, weightOf } from './__fixtures__/golden-fixtures';
import { sequenceInputs } from './forward-inputs';
import { createArchitectureRegistry } from './registry';

interface GoldenFixture {
  config: Record<string, unknown>;
  weights: Record<string, { shape: number[]; data: number[] }>;
  input_ids: number[][];
  attention_mask: number[][];
  logits: number[][][];
}

function loadFixture(name: string): { fixture: GoldenFixture; weights: WeightMap } {
  const fixture = JSON.parse(readFileSync(join(__dirname, '__fixtures__', name), 'utf8')) as GoldenFixture;
  const weights = new Map<string, HostTensor>(
    Object.entries(fixture.weights).map(([key, value]) => [key, { shape: value.shape, data: Float32Array.from(value.data) }]),
  );
  return { fixture, weights };
}

const registry = createArchitectureRegistry();

describe.each(['cpu', 'wasm'])('architectures on %s', (backend) => {
  beforeAll(() => setBackend(backend));

  it.each(['llama-tiny-untied.json', 'llama-tiny-tied.json', 'gpt2-tiny.json'])(
    'matches the PyTorch reference logits of %s to 1e-4',
    (name) => {
      const { fixture, weights } = loadFixture(name);
      const module = registry.resolve(fixture.config);
      const network = module.build(module.parseConfig(fixture.config), weights, { trainable: false });
      const before = tf.memory().numTensors;
      const logits = tf.tidy(() => network.forward(sequenceInputs(fixture.input_ids, fixture.attention_mask)).logits.arraySync());
      expect(tf.memory().numTensors).toBe(before);
      let worst = 0;
      fixture.attention_mask.forEach((row, b) =>
        row.forEach((valid, t) => {
          if (valid === 0) return;
          fixture.logits[b][t].forEach((expected, v) => (worst = Math.max(worst, Math.abs(logits[b][t][v] - expected))));
        }),
      );
      expect(worst).toBeLessThan(1e-4);
      network.dispose();
    },
  );

  it.each(['llama-tiny-untied.json', 'llama-tiny-tied.json', 'gpt2-tiny.json'])('gives back bit-exact weights of %s', async (name) => {
    const { fixture, weights } = loadFixture(name);
    const module = registry.resolve(fixture.config);
    const network = module.build(module.parseConfig(fixture.config), weights, { trainable: true });
    const saved = await network.toWeightMap();
    expect([...saved.keys()].sort()).toEqual([...weights.keys()].sort());
    for (const [key, tensor] of weights) {
      expect(saved.get(key)?.shape).toEqual(tensor.shape);
      expect(sameBits(weightOf(saved, key), tensor)).toBe(true);
    }
    network.dispose();
  });
});

describe('architecture registry', () => {
  it('resolves by model_type, then by architectures', () => {
    expect(registry.resolve({ model_type: 'gpt2' }).modelTypes).toEqual(['gpt2']);
    expect(registry.resolve({ architectures: ['LlamaForCausalLM'] }).modelTypes).toEqual(['llama']);
  });

  it('names the supported types when a config is unknown', () => {
    expect(() => registry.resolve({ model_type: 'bert' })).toThrow(/bert.*not supported/);
    expect(() => registry.resolve({ model_type: 'bert' })).toThrow(ModelFormatError);
  });

  it('reports a missing weight and a wrong shape by name', () => {
    const { fixture, weights } = loadFixture('gpt2-tiny.json');
    const module = registry.resolve(fixture.config);
    const config = module.parseConfig(fixture.config);
    const missing = new Map(weights);
    missing.delete('transformer.h.1.mlp.c_fc.weight');
    expect(() => module.build(config, missing, { trainable: false })).toThrow(/missing tensor transformer\.h\.1\.mlp\.c_fc\.weight/);
    const wrong = new Map(weights);
    wrong.set('transformer.ln_f.bias', { shape: [3], data: new Float32Array(3) });
    expect(() => module.build(config, wrong, { trainable: false })).toThrow(/ln_f\.bias has shape \[3\]/);
  });

  it('starts a GPT-2 bias missing from the checkpoint at zero, as transformers does', async () => {
    const { fixture, weights } = loadFixture('gpt2-tiny.json');
    const module = registry.resolve(fixture.config);
    const withoutBias = new Map(weights);
    withoutBias.delete('transformer.h.0.attn.c_attn.bias');
    const network = module.build(module.parseConfig(fixture.config), withoutBias, { trainable: false });
    expect(Array.from(weightOf(await network.toWeightMap(), 'transformer.h.0.attn.c_attn.bias').data)).toEqual(new Array(48).fill(0));
    network.dispose();
  });

  it('reads GPT-2 weights saved without the transformer. prefix', async () => {
    const { fixture, weights } = loadFixture('gpt2-tiny.json');
    const bare = new Map([...weights].map(([key, value]) => [key.replace(/^transformer\./, ''), value]));
    const module = registry.resolve(fixture.config);
    const network = module.build(module.parseConfig(fixture.config), bare, { trainable: false });
    expect((await network.toWeightMap()).has('transformer.wte.weight')).toBe(true);
    network.dispose();
  });
});
