import { InvalidArgumentError, POLICY_TOKENIZER } from '@rlgf/contracts';
import { createComponentContext, createComponentWith, createRunContainer, registerValue, silentLogger } from '@rlgf/core';
import { createHubFiles, hubSettingsFromEnv } from '@rlgf/hub';
import { loadLanguageModel, loadModelReference, resolveModelReference, setBackend, type TrainableLanguageModel } from '@rlgf/models';
import { describeGuideContract, sharedHubMirror } from '@rlgf/testing';
import * as tf from '@tensorflow/tfjs-core';
import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalGuide } from './local-guide';
import { localGuideOptions } from './local-guide-options';
import { localGuideFactory } from './plugin';

const hub = createHubFiles({ ...hubSettingsFromEnv({}), mirrorDir: sharedHubMirror() });
const stories = 'karpathy/tinyllamas/stories260K';
let cacheDir: string;

async function contextWithPolicy(policy?: TrainableLanguageModel) {
  const container = createRunContainer();
  if (policy) registerValue(container, POLICY_TOKENIZER, policy.tokenizer);
  return createComponentContext({ container, hub, logger: silentLogger, seed: 0, cacheDir });
}

beforeAll(async () => {
  await setBackend('wasm');
  cacheDir = await mkdtemp(join(tmpdir(), 'rlgf-guide-local-'));
});

describeGuideContract(
  'local (stories260K, text tokenization)',
  async () => createComponentWith(await contextWithPolicy(), localGuideFactory, { model: stories, tokenization: 'text' }),
  { inputs: [{ promptText: 'Once upon a time' }, { promptText: 'The cat', prefixText: ' sat' }], maxNewTokens: 12, seeded: true, reportsTokens: true },
);

describe('local guide', () => {
  let policy: TrainableLanguageModel;
  beforeAll(async () => {
    policy = await loadLanguageModel(await resolveModelReference({ source: stories }, { hub, cacheDir }), { hub });
  });
  afterAll(() => policy.dispose());

  it('shares token ids with a policy that encodes alike, and exchanges text with one that does not', async () => {
    const shared = (await createComponentWith(await contextWithPolicy(policy), localGuideFactory, { model: stories })) as LocalGuide;
    expect(shared.tokenization).toBe('shared');
    const gpt2 = await loadLanguageModel('sshleifer/tiny-gpt2', { hub });
    const text = (await createComponentWith(await contextWithPolicy(gpt2), localGuideFactory, { model: stories })) as LocalGuide;
    expect(text.tokenization).toBe('text');
    gpt2.dispose();
    await text.close();
    const prompt = policy.tokenizer.encode('Once upon a time');
    const result = await shared.doGenerate({ inputs: [{ promptText: 'Once upon a time', promptIds: prompt, prefixIds: [] }], maxNewTokens: 8, seed: 3 });
    const output = result.outputs[0];
    expect(output.status).toBe('ok');
    if (output.status === 'ok') {
      expect(output.ids?.length).toBeGreaterThan(0);
      expect(output.text).toBe(policy.tokenizer.decode([...prompt, ...(output.ids ?? [])]).slice(policy.tokenizer.decode(prompt).length));
    }
    await shared.close();
  });

  it('samples from its own frozen weights: changing the policy does not change the guide', async () => {
    const guide = await createComponentWith(await contextWithPolicy(policy), localGuideFactory, { model: stories });
    const input = { promptText: 'Once upon a time', promptIds: policy.tokenizer.encode('Once upon a time') };
    const before = await guide.doGenerate({ inputs: [input], maxNewTokens: 16, seed: 11 });
    const policyBefore = await policy.generate({ promptIds: [input.promptIds], maxNewTokens: 16, decoding: { strategy: 'greedy' } });
    tf.tidy(() => policy.trainableVariables.forEach((variable) => variable.assign(tf.mul(variable, 0.5))));
    const policyAfter = await policy.generate({ promptIds: [input.promptIds], maxNewTokens: 16, decoding: { strategy: 'greedy' } });
    expect(policyAfter.ids).not.toEqual(policyBefore.ids);
    const after = await guide.doGenerate({ inputs: [input], maxNewTokens: 16, seed: 11 });
    expect(after.outputs).toEqual(before.outputs);
    await guide.close?.();
  });

  it('suppresses EOS before the minimum number of new tokens, per input', async () => {
    const guide = new LocalGuide(policy.clone({ trainable: false }), 'shared', { strategy: 'sample', temperature: 3 }, 16);
    const promptIds = policy.tokenizer.encode('Once upon a time');
    const inputs = Array.from({ length: 12 }, () => ({ promptText: 'Once upon a time', promptIds }));
    const lengths = async (minNewTokens?: number | number[]) =>
      (await guide.doGenerate({ inputs, maxNewTokens: 24, minNewTokens, seed: 5 })).outputs.map((output) => (output.status === 'ok' ? (output.ids?.length ?? 0) : -1));
    // Hot sampling ends some rows early without a minimum: the test can tell the difference.
    expect(Math.min(...(await lengths()))).toBeLessThan(24);
    expect(await lengths(24)).toEqual(new Array(12).fill(24));
    const perInput = Array.from({ length: 12 }, (_, i) => 2 * i);
    (await lengths(perInput)).forEach((length, i) => expect(length).toBeGreaterThanOrEqual(perInput[i]));
    await guide.close();
  });

  it('validates its options with the field named', async () => {
    const create = async (options: Record<string, unknown>) => createComponentWith(await contextWithPolicy(), localGuideFactory, options);
    await expect(create({})).rejects.toThrow(InvalidArgumentError);
    await expect(create({ model: stories, decoding: { strategy: 'sample', topP: 1.5 } })).rejects.toThrow('guide.options.decoding.topP: got 1.5, expected <= 1');
    await expect(create({ model: stories, decoding: { strategy: 'beam' } })).rejects.toThrow('guide.options.decoding.strategy: got "beam", expected one of "greedy", "sample"');
    await expect(create({ model: { source: stories, format: 'gguf' } })).rejects.toThrow('guide.options.model');
    await expect(create({ model: stories, temperature: 1 })).rejects.toThrow('guide.options.temperature: expected one of the options at this level: model, decoding, tokenization, batchSize');
    expect(localGuideOptions.parse({ model: stories })).toEqual({
      model: { source: stories },
      decoding: { strategy: 'sample', topP: 0.92, temperature: 1, topK: 0 },
      tokenization: 'auto',
      batchSize: 16,
    });
    expect(localGuideOptions.parse({ model: { source: stories }, decoding: { strategy: 'sample' } }).decoding).toEqual({ strategy: 'sample', temperature: 1, topK: 0, topP: 1 });
  });

  it('continues a learner prefix on the decoder of an encoder-decoder guide', async () => {
    // A tiny T5 with random weights and the stories260K tokenizer.
    const dir = await mkdtemp(join(tmpdir(), 'rlgf-guide-t5-'));
    await copyFile(join(await resolveModelReference({ source: stories }, { hub, cacheDir }), 'tokenizer.json'), join(dir, 'tokenizer.json'));
    const config = { model_type: 't5', vocab_size: 512, d_model: 16, d_kv: 4, num_heads: 4, d_ff: 32, num_layers: 1, num_decoder_layers: 2, eos_token_id: 2 };
    await writeFile(join(dir, 'config.json'), JSON.stringify(config));
    const t5 = await loadModelReference({ source: dir, init: 'random' }, { seed: 5, cacheDir, trainable: false });
    const guide = new LocalGuide(t5, 'shared', { strategy: 'greedy' }, 4);
    const promptIds = t5.tokenizer.encode('Once upon a time');
    const alone = await t5.generate({ promptIds: [promptIds], maxNewTokens: 6, decoding: { strategy: 'greedy' }, stopAtEos: false });
    const result = await guide.doGenerate({ inputs: [{ promptText: 'Once upon a time', promptIds, prefixIds: alone.ids[0].slice(0, 2) }], maxNewTokens: 4, seed: 0 });
    const output = result.outputs[0];
    expect(output.status === 'ok' && output.ids).toEqual(alone.ids[0].slice(2, 6));
    await guide.close();
  });
});
