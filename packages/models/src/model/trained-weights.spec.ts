import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TokenizerV1 } from '@rlgf/contracts';
import { sharedHubMirror } from '@rlgf/testing';
import { idTokenizer, readFamilyFixture } from '../architectures/__fixtures__/family-fixtures';
import { readGoldenFixture, sameBits } from '../architectures/__fixtures__/golden-fixtures';
import { readT5Fixture } from '../architectures/t5/__fixtures__/t5-fixtures';
import { describeOnBackends } from '../backend/__fixtures__/backend-suites';
import { setBackend } from '../backend/set-backend';
import { Critic } from '../critic/critic';
import { LoraBase } from '../lora/lora-model';
import type { LoraSettings } from '../lora/lora-settings';
import { adapterOf, loadPeftAdapter, savePeftAdapter } from '../lora/peft-files';
import { AdamW } from '../nn/adamw';
import type { TokenizerFiles } from '../tokenizers/tokenizer-files';
import type { WeightMap } from '../weights/weight-map';
import { createLanguageModel } from './create-language-model';
import { loadLanguageModel, saveLanguageModel } from './load-language-model';
import type { TrainableLanguageModel } from './trainable-language-model';

// Weights that training left on the device are saved and copied on every backend: webgpu has no
// synchronous read of them, so saving reads asynchronously and copies never leave the device.

const tinyGpt2 = join(sharedHubMirror(), 'models/sshleifer/tiny-gpt2');
const fixtures = {
  'gpt2-tiny': () => readGoldenFixture('gpt2-tiny'),
  'llama-tiny-untied': () => readGoldenFixture('llama-tiny-untied'),
  qwen2: () => readFamilyFixture('qwen2'),
  't5-v1_1-gated-gelu-untied': () => readT5Fixture('t5-v1_1-gated-gelu-untied'),
};
// Rows of one length: no padding, whose id (tiny-gpt2's) is outside the fixtures' vocabularies.
const rows = [
  { promptIds: [1, 5, 9], tokens: [3, 7, 2] },
  { promptIds: [4, 6, 8], tokens: [10, 12, 11] },
];
const lora: LoraSettings = { r: 2, alpha: 8, dropout: 0, targetModules: ['q_proj', 'v_proj'], rslora: false };

/** One AdamW step on the continuations' log-probs (every family scores them alike), and on a critic's values. */
function trainStep(model: TrainableLanguageModel, optimizer: AdamW, critic?: Critic): void {
  const batch = model.continuationBatch(rows, 3);
  const variables = [...model.trainableVariables, ...(critic?.variables ?? [])];
  const { value, grads } = tf.variableGrads(() => {
    const loss = tf.neg(tf.mean(model.scoreContinuations(batch).logProbs));
    return (critic === undefined ? loss : tf.add(loss, tf.mean(tf.square(critic.continuationValues(batch))))) as tf.Scalar;
  }, variables);
  optimizer.applyGradients(variables, variables.map((variable) => grads[variable.name]));
  tf.dispose([value, grads]);
  batch.dispose();
}

/** True when some variable cannot be read synchronously: the case this file is about (webgpu). */
function refusesSynchronousReads(variables: readonly tf.Variable[]): boolean {
  // tfjs-backend-webgpu warns once before it tries (and fails, under Node) to read.
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    return variables.some((variable) => {
      try {
        variable.dataSync();
        return false;
      } catch {
        return true;
      }
    });
  } finally {
    warn.mockRestore();
  }
}

function expectSameWeights(actual: WeightMap, expected: WeightMap): void {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [name, tensor] of expected) expect({ name, same: sameBits(actual.get(name) ?? { shape: [], data: new Float32Array() }, tensor) }).toEqual({ name, same: true });
}

function changedWeights(actual: WeightMap, expected: WeightMap): string[] {
  return [...expected].filter(([name, tensor]) => !sameBits(actual.get(name) ?? tensor, tensor)).map(([name]) => name);
}

describeOnBackends('weights trained on %s', ['cpu', 'wasm', 'webgpu'], (backend) => {
  let tokenizer: TokenizerV1;
  let tokenizerFiles: TokenizerFiles | undefined;
  let scratch: string;
  beforeAll(async () => {
    // tiny-gpt2's tokenizer files, so that the fixtures can be saved as Hub checkpoints.
    const tiny = await loadLanguageModel(tinyGpt2, { backend, trainable: false });
    ({ tokenizer, tokenizerFiles } = tiny);
    tiny.dispose();
    scratch = await mkdtemp(join(tmpdir(), `rlgf-trained-${backend}-`));
  });
  beforeEach(() => setBackend(backend));
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  it.each(Object.keys(fixtures) as (keyof typeof fixtures)[])('%s: saved after a training step, wasm loads back the same bits', async (name) => {
    const fixture = fixtures[name]();
    const model = createLanguageModel(fixture.config, fixture.weights, tokenizer, { tokenizerFiles });
    const optimizer = new AdamW({ learningRate: 0.01 });
    trainStep(model, optimizer);
    if (backend === 'webgpu') expect(refusesSynchronousReads(model.trainableVariables)).toBe(true);
    const before = tf.memory().numTensors;
    const trained = await model.getWeights();
    expect(changedWeights(trained, fixture.weights).length).toBeGreaterThan(0);
    await saveLanguageModel(model, join(scratch, name));
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    model.dispose();
    const again = await loadLanguageModel(join(scratch, name), { backend: 'wasm', trainable: false });
    expectSameWeights(await again.getWeights(), trained);
    again.dispose();
  });

  it('saves a LoRA adapter (and the merged weights) after a training step; wasm loads back the same bits', async () => {
    const fixture = readGoldenFixture('llama-tiny-untied');
    const base = LoraBase.of(createLanguageModel(fixture.config, fixture.weights, idTokenizer, { trainable: false }));
    const policy = base.view(base.createAdapter(lora, { seed: 1 }));
    const optimizer = new AdamW({ learningRate: 0.05 });
    trainStep(policy, optimizer);
    if (backend === 'webgpu') expect(refusesSynchronousReads(policy.trainableVariables)).toBe(true);
    const [factors, merged] = [await adapterOf(policy).toPeft(), await policy.getWeights()];
    expect(changedWeights(merged, fixture.weights)).toHaveLength(2 * 2);
    await savePeftAdapter(adapterOf(policy), join(scratch, 'adapter'), { baseModel: 'llama-tiny-untied', encoderDecoder: false });
    optimizer.dispose();
    policy.dispose();
    await setBackend('wasm');
    const wasmBase = LoraBase.of(createLanguageModel(fixture.config, fixture.weights, idTokenizer, { trainable: false }));
    const loaded = wasmBase.view(await loadPeftAdapter(wasmBase, join(scratch, 'adapter'), { seed: 0 }));
    expectSameWeights(await adapterOf(loaded).toPeft(), factors);
    expectSameWeights(await loaded.getWeights(), merged);
    loaded.dispose();
  });

  it('makes frozen copies, critic copies and adapter copies of trained weights that keep them while the original trains on', async () => {
    const start = tf.memory().numTensors;
    const fixture = readGoldenFixture('llama-tiny-untied');
    const model = createLanguageModel(fixture.config, fixture.weights, idTokenizer);
    const critic = new Critic({ trunk: 'separate', trunkFrom: model, head: { kind: 'normal', std: 0.1, seed: 3 } });
    const base = LoraBase.of(createLanguageModel(fixture.config, fixture.weights, idTokenizer, { trainable: false }));
    const view = base.view(base.createAdapter(lora, { seed: 1 }));
    const optimizer = new AdamW({ learningRate: 0.05 });
    const viewOptimizer = new AdamW({ learningRate: 0.05 });
    const trainAll = () => {
      trainStep(model, optimizer, critic);
      trainStep(view, viewOptimizer);
    };
    trainAll();
    if (backend === 'webgpu') expect(refusesSynchronousReads([...model.trainableVariables, ...critic.variables, ...view.trainableVariables])).toBe(true);
    const frozen = model.frozenCopy();
    // What Learner.copyCritic builds: a copy of the trunk and of the head.
    const criticCopy = new Critic({ trunk: 'separate', trunkFrom: critic.trunk as TrainableLanguageModel, head: { copyOf: critic.head } });
    const viewCopy = view.frozenCopy();
    expect(frozen.trainableVariables).toEqual([]);
    const trained = { model: await model.getWeights(), critic: await critic.getWeights(), view: await view.getWeights() };
    expectSameWeights(await frozen.getWeights(), trained.model);
    expectSameWeights(await criticCopy.getWeights(), trained.critic);
    expectSameWeights(await viewCopy.getWeights(), trained.view);
    trainAll();
    expect(changedWeights(await model.getWeights(), trained.model).length).toBeGreaterThan(0);
    expect(changedWeights(await critic.getWeights(), trained.critic).length).toBeGreaterThan(0);
    expect(changedWeights(await view.getWeights(), trained.view).length).toBeGreaterThan(0);
    expectSameWeights(await frozen.getWeights(), trained.model);
    expectSameWeights(await criticCopy.getWeights(), trained.critic);
    expectSameWeights(await viewCopy.getWeights(), trained.view);
    // The copies hold their own references: they outlive the originals.
    for (const owner of [model, critic, view, optimizer, viewOptimizer]) owner.dispose();
    expectSameWeights(await frozen.getWeights(), trained.model);
    expectSameWeights(await criticCopy.getWeights(), trained.critic);
    for (const copy of [frozen, criticCopy, viewCopy]) copy.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});
