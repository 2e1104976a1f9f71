import * as tf from '@tensorflow/tfjs-core';
import { familyFixtures, idTokenizer, readFamilyFixture } from '../architectures/__fixtures__/family-fixtures';
import { readGoldenFixture, type GoldenFixtureName } from '../architectures/__fixtures__/golden-fixtures';
import { readT5Fixture, type T5FixtureName } from '../architectures/t5/__fixtures__/t5-fixtures';
import { setBackend } from '../backend/set-backend';
import { createLanguageModel } from '../model/create-language-model';
import type { TrainableLanguageModel } from '../model/trainable-language-model';
import type { WeightMap } from '../weights/weight-map';
import { randomAdapter } from './__fixtures__/random-adapter';
import { createModelRegistry } from '../model/model-registry';
import { LoraBase } from './lora-model';
import { moduleName } from './lora-site';

interface Case {
  readonly config: Record<string, unknown>;
  readonly weights: WeightMap;
  readonly prompts: number[][];
}

const unpadded = (ids: number[][], mask: number[][]) => ids.map((row, b) => row.filter((_, t) => mask[b][t] === 1));
const golden = (name: GoldenFixtureName): Case => {
  const f = readGoldenFixture(name);
  return { config: f.config, weights: f.weights, prompts: unpadded(f.inputIds, f.attentionMask) };
};
const family = (name: (typeof familyFixtures)[number]): Case => {
  const f = readFamilyFixture(name);
  return { config: f.config, weights: f.weights, prompts: unpadded(f.inputIds, f.attentionMask) };
};
const t5 = (name: T5FixtureName): Case => {
  const f = readT5Fixture(name);
  return { config: f.config, weights: f.weights, prompts: unpadded(f.inputIds, f.attentionMask) };
};

const cases: [string, () => Case][] = [
  ['llama-tiny-untied', () => golden('llama-tiny-untied')],
  ['gpt2-tiny', () => golden('gpt2-tiny')],
  ...familyFixtures.map((name): [string, () => Case] => [name, () => family(name)]),
  ['t5-v1_0-relu-tied', () => t5('t5-v1_0-relu-tied')],
  ['t5-v1_1-gated-gelu-untied', () => t5('t5-v1_1-gated-gelu-untied')],
];

const frozen = (c: Case, weights: WeightMap = c.weights) => createLanguageModel(c.config, weights, idTokenizer, { trainable: false });

async function decodeAndScore(model: TrainableLanguageModel, prompts: number[][]) {
  const { ids } = await model.generate({ promptIds: prompts, maxNewTokens: 4, decoding: { strategy: 'greedy' }, stopAtEos: false });
  return { ids, scores: await model.scoreTokens(prompts, ids) };
}

const largest = (a: number[][], b: number[][]) => Math.max(...a.flatMap((row, i) => row.map((value, j) => Math.abs(value - b[i][j]))));

/**
 * Every family's LoRA sites against the merge formula: base + adapter on the fly (the update beside
 * the fused products, the whole-layer kernel skipped) must decode greedily as a model whose weights
 * are W + scale·B·A in Hugging Face layout, and the base seen without the adapter must be the base.
 */
describe.each(['cpu', 'wasm'])('LoRA on every family (%s)', (backend) => {
  beforeAll(() => setBackend(backend));
  const selected = backend === 'cpu' ? cases : cases.filter(([name]) => ['llama-tiny-untied', 'gpt2-tiny', 'qwen3'].includes(name));

  it.each(selected)('%s: base + adapter decodes as the merged weights; the adapter-off view is the base', async (_, read) => {
    const c = read();
    const before = tf.memory().numTensors;
    const plain = frozen(c);
    const baseline = await decodeAndScore(plain, c.prompts);
    plain.dispose();

    const base = LoraBase.of(frozen(c));
    // The family's declared PEFT names are the ones its sites carry.
    expect(createModelRegistry().resolve(c.config).loraTargetModules).toEqual(expect.arrayContaining([...new Set(base.sites.map(moduleName))]));
    const policy = base.view(randomAdapter(base, { r: 2, alpha: 4, dropout: 0, targetModules: 'all-linear', rslora: false }));
    const reference = base.view();
    const merged = frozen(c, await policy.getWeights());

    const adapted = await decodeAndScore(policy, c.prompts);
    const expected = await decodeAndScore(merged, c.prompts);
    expect(adapted.ids).toEqual(expected.ids);
    expect(largest(adapted.scores, expected.scores)).toBeLessThan(1e-4);
    // The adapter changes the model (else the comparison proves nothing) and leaves the base alone.
    expect(largest(adapted.scores, baseline.scores)).toBeGreaterThan(1e-2);
    const off = await decodeAndScore(reference, c.prompts);
    expect(off.ids).toEqual(baseline.ids);
    expect(off.scores).toEqual(baseline.scores);

    for (const model of [merged, policy, reference]) model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
