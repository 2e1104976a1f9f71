import { createHubFiles, hubSettingsFromEnv } from '@rlgf/hub';
import type { LanguageModelV1 } from '@rlgf/contracts';
import { loadLanguageModel, resolveModelReference, setBackend } from '@rlgf/models';
import { sharedHubMirror } from '@rlgf/testing';
import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateRows } from './generate-rows';
import type { GenerationRow } from './generation-row';
import { asServableModel, type ServableModel } from './servable-model';

const hub = createHubFiles({ ...hubSettingsFromEnv({}), mirrorDir: sharedHubMirror() });
let modelDir: string;
let model: LanguageModelV1 & ServableModel;

beforeAll(async () => {
  modelDir = await resolveModelReference({ source: 'karpathy/tinyllamas/stories260K' }, { hub, cacheDir: await mkdtemp(join(tmpdir(), 'rlgf-serving-')) });
});

const sampled = { strategy: 'sample', temperature: 1, topP: 0.92 } as const;
function row(prompt: string, settings: Partial<GenerationRow> = {}): GenerationRow {
  return { promptIds: model.tokenizer.encode(prompt), maxNewTokens: 12, decoding: sampled, seed: 1, stop: [], ...settings };
}

describe.each(['wasm', 'cpu'])('generateRows on %s', (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
    model = asServableModel(await loadLanguageModel(modelDir, { hub, trainable: false }));
  });
  afterAll(() => model.dispose());

  it('samples what model.generate samples for a batch of one, greedy and seeded', async () => {
    for (const decoding of [{ strategy: 'greedy' } as const, sampled]) {
      const request = row('Once upon a time', { decoding, seed: 42 });
      const reference = await model.generate({ promptIds: [request.promptIds], maxNewTokens: 12, decoding, seed: 42 });
      const [generated] = await generateRows(model, [request]);
      const expected = reference.ids[0].filter((_, step) => reference.mask[0][step] === 1);
      expect(generated.ids).toEqual(expected);
      expect(generated.text).toBe(model.tokenizer.decode([...request.promptIds, ...expected]).slice(model.tokenizer.decode(request.promptIds).length));
    }
  });

  it('gives a row the same tokens alone and among other rows with other settings (its own random stream)', async () => {
    const target = row('The cat sat', { seed: 7 });
    const [alone] = await generateRows(model, [target]);
    const batch = await generateRows(model, [
      row('Lily and Ben went to the park to play', { seed: 3, maxNewTokens: 20 }),
      target,
      row('Tom', { decoding: { strategy: 'greedy' }, maxNewTokens: 4 }),
    ]);
    expect(batch[1]).toEqual(alone);
    expect(batch.map((generated) => generated.ids.length)).toEqual([20, 12, 4]);
    const [otherSeed] = await generateRows(model, [{ ...target, seed: 8 }]);
    expect(otherSeed.ids).not.toEqual(alone.ids);
  });

  it('stops at a stop string, cutting the text before it', async () => {
    const [free] = await generateRows(model, [row('Once upon a time', { decoding: { strategy: 'greedy' }, maxNewTokens: 30 })]);
    const words = free.text.trim().split(/\s+/);
    const stop = ` ${words[3]}`;
    const [stopped] = await generateRows(model, [row('Once upon a time', { decoding: { strategy: 'greedy' }, maxNewTokens: 30, stop: ['never appears', stop] })]);
    expect(stopped.finishReason).toBe('stop');
    expect(stopped.text).toBe(free.text.slice(0, free.text.indexOf(stop)));
    expect(stopped.ids.length).toBeLessThan(30);
    expect(free.finishReason).toBe('length');
  });

  it('leaks no tensors and refuses rows the model cannot continue', async () => {
    const before = tf.memory().numTensors;
    await generateRows(model, [row('A'), row('B', { maxNewTokens: 3 })]);
    expect(tf.memory().numTensors).toBe(before);
    await expect(generateRows(model, [row('A', { maxNewTokens: 600 })])).rejects.toThrow(/within the model's 512 positions/);
    await expect(generateRows(model, [{ ...row('A'), promptIds: [] }])).rejects.toThrow(/rows\[0\]\.promptIds/);
    await expect(generateRows(model, [row('A', { seed: -1 })])).rejects.toThrow(/rows\[0\]\.seed/);
    expect(() => asServableModel({ ...model, info: { ...model.info, modelType: 't5', isEncoderDecoder: true } })).toThrow(
      'model: got "t5", expected a decoder-only model (Llama, GPT-2) loaded by @rlgf/models',
    );
  });
});
