import * as tf from '@tensorflow/tfjs-core';
import { setBackend } from '../backend/set-backend';
import { Critic } from '../critic/critic';
import { generate } from '../generation/generate';
import { CausalLanguageModel } from '../model/causal-language-model';
import { AdamW } from '../nn/adamw';
import { scoreTokens } from '../scoring/score-tokens';
import { familyFixtures, idTokenizer, readFamilyFixture, type FamilyFixtureName } from './__fixtures__/family-fixtures';
import { sameBits, weightOf } from './__fixtures__/golden-fixtures';
import type { CausalLmNetwork } from './causal-lm';
import { sequenceInputs } from './forward-inputs';
import { createArchitectureRegistry } from './registry';

const registry = createArchitectureRegistry();

function build(name: FamilyFixtureName, trainable = false): { network: CausalLmNetwork; fixture: ReturnType<typeof readFamilyFixture> } {
  const fixture = readFamilyFixture(name);
  const module = registry.resolve(fixture.config);
  return { network: module.build(module.parseConfig(fixture.config), fixture.weights, { trainable }), fixture };
}

/** The fixture's rows without their left padding. */
const prompts = (fixture: ReturnType<typeof readFamilyFixture>) => fixture.inputIds.map((row, b) => row.filter((_, t) => fixture.attentionMask[b][t] === 1));

describe.each(['cpu', 'wasm'])('model families on %s', (backend) => {
  beforeAll(() => setBackend(backend));

  it.each(familyFixtures)('%s matches its PyTorch reference logits to 1e-4', (name) => {
    const { network, fixture } = build(name);
    const before = tf.memory().numTensors;
    const logits = tf.tidy(() => network.forward(sequenceInputs(fixture.inputIds, fixture.attentionMask)).logits.arraySync());
    expect(tf.memory().numTensors).toBe(before);
    let worst = 0;
    fixture.attentionMask.forEach((row, b) =>
      row.forEach((valid, t) => valid === 1 && fixture.logits[b][t].forEach((expected, v) => (worst = Math.max(worst, Math.abs(logits[b][t][v] - expected))))),
    );
    expect(worst).toBeLessThan(1e-4);
    network.dispose();
  });

  it.each(familyFixtures)('%s decodes with its KV cache (windows included) as a full forward pass scores it', async (name) => {
    const { network, fixture } = build(name);
    const eos = network.config.eosTokenIds;
    const before = tf.memory().numTensors;
    // Greedy, past the sliding windows: each step's log-prob under the cache equals the one the
    // whole sequence gets without a cache.
    const result = await generate(network, { promptIds: prompts(fixture), maxNewTokens: 5, decoding: { strategy: 'greedy' }, seed: 0, minNewTokens: 5 }, { eosTokenIds: eos, padTokenId: 0 });
    const scores = await scoreTokens(network, prompts(fixture), result.ids, 0);
    expect(tf.memory().numTensors).toBe(before);
    scores.forEach((row, r) => row.forEach((score, j) => expect(Math.abs(score - result.logProbs[r][j])).toBeLessThan(1e-4)));
    network.dispose();
  });
});

describe('model families: weights and training', () => {
  beforeAll(() => setBackend('wasm'));

  it.each(familyFixtures)('%s gives back bit-exact weights under their Hugging Face names', async (name) => {
    const { network, fixture } = build(name, true);
    const saved = await network.toWeightMap();
    expect([...saved.keys()].sort()).toEqual([...fixture.weights.keys()].sort());
    for (const [key, tensor] of fixture.weights) expect(sameBits(weightOf(saved, key), tensor)).toBe(true);
    network.dispose();
  });

  it.each(familyFixtures)('%s trains: every variable gets a gradient, an AdamW step lowers the loss, a critic trains on its trunk, nothing leaks', (name) => {
    const fixture = readFamilyFixture(name);
    const module = registry.resolve(fixture.config);
    const model = new CausalLanguageModel(module.build(module.parseConfig(fixture.config), fixture.weights, { trainable: true }), idTokenizer, module);
    const critic = new Critic({ trunk: 'separate', trunkFrom: model, head: { kind: 'normal', std: 0.1, seed: 1 } });
    const optimizer = new AdamW({ learningRate: 0.01, weightDecay: 0 });
    const before = tf.memory().numTensors;
    // Next-token cross-entropy on the fixture rows (padding included: it is only a training signal).
    const targets = tf.tidy(() => tf.oneHot(tf.tensor2d(fixture.inputIds.map((row) => [...row.slice(1), 0]), undefined, 'int32'), 32));
    const inputs = sequenceInputs(fixture.inputIds, fixture.attentionMask);
    const loss = () => tf.neg(tf.mean(tf.sum(tf.mul(tf.logSoftmax(model.forward(inputs).logits), targets), -1))) as tf.Scalar;
    const variables = [...model.trainableVariables];
    const { value, grads } = tf.variableGrads(loss, variables);
    const norms = variables.map((variable) => tf.tidy(() => tf.norm(grads[variable.name]).dataSync()[0]));
    expect(norms.every((norm) => Number.isFinite(norm) && norm > 0)).toBe(true);
    optimizer.applyGradients(variables, variables.map((variable) => grads[variable.name]));
    const after = tf.tidy(() => loss().dataSync()[0]);
    expect(after).toBeLessThan(value.dataSync()[0]);
    tf.dispose([value, grads, targets, inputs.ids, inputs.positions, inputs.bias]);
    const batch = model.continuationBatch([{ promptIds: [5, 9], tokens: [3, 17, 2] }], 3);
    const criticGrads = tf.variableGrads(() => tf.mean(tf.square(critic.continuationValues(batch))) as tf.Scalar, critic.variables);
    expect(Object.keys(criticGrads.grads)).toHaveLength(critic.variables.length);
    tf.dispose([criticGrads.value, criticGrads.grads]);
    batch.dispose();
    optimizer.dispose();
    expect(tf.memory().numTensors).toBe(before);
    critic.dispose();
    model.dispose();
  });
});
