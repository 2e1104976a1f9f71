import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { idTokenizer } from '../architectures/__fixtures__/family-fixtures';
import { setBackend } from '../backend/set-backend';
import { createLanguageModel } from '../model/create-language-model';
import type { HostTensor } from '../weights/weight-map';
import { LoraBase } from './lora-model';
import { adapterOf, loadPeftAdapter } from './peft-files';
import { loadFrozenModel, SharedBases } from './shared-bases';

// The PEFT parity fixture: an adapter folder whose adapter_config.json names its base `tiny-random-llama`.
const dir = join(__dirname, '__fixtures__', 'peft-llama');
const reference = JSON.parse(readFileSync(join(dir, 'reference.json'), 'utf8')) as { config: Record<string, unknown>; weights: Record<string, { shape: number[]; data: number[] }>; prompts: number[][] };
const weights = new Map<string, HostTensor>(Object.entries(reference.weights).map(([name, t]) => [name, { shape: t.shape, data: Float32Array.from(t.data) }]));
const options = { cacheDir: '/nonexistent', seed: 0 };
const decode = async (model: { generate: (request: never) => Promise<{ ids: number[][] }> }) =>
  (await model.generate({ promptIds: reference.prompts, maxNewTokens: 4, decoding: { strategy: 'greedy' }, stopAtEos: false } as never)).ids;

describe('a model the run already holds, named again (a local guide)', () => {
  beforeAll(() => setBackend('cpu'));

  it('is a view of the shared base, or of base + the folder adapter, with no second copy of the weights', async () => {
    const start = tf.memory().numTensors;
    const base = LoraBase.of(createLanguageModel(reference.config, weights, idTokenizer, { trainable: false }));
    const policy = base.view();
    const shared = new SharedBases();
    shared.add({ source: 'tiny-random-llama' }, base);
    const before = tf.memory().numTensors;

    const same = await loadFrozenModel({ source: 'tiny-random-llama' }, { ...options, shared });
    expect(same.shared).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    expect(await decode(same.model)).toEqual(await decode(policy));

    const adapted = await loadFrozenModel({ source: dir }, { ...options, shared });
    expect(adapted.shared).toBe(true);
    const expected = base.view(await loadPeftAdapter(base, dir, { seed: 0, trainable: false }));
    expect(await decode(adapted.model)).toEqual(await decode(expected));
    // Only the two adapters' factors are new tensors; a revision the run did not load is not shared.
    expect(tf.memory().numTensors - before).toBe((await adapterOf(adapted.model).toPeft()).size + (await adapterOf(expected).toPeft()).size);
    expect(shared.get({ source: 'tiny-random-llama', revision: 'other' })).toBeUndefined();

    for (const model of [same.model, adapted.model, expected, policy]) model.dispose();
    // The base goes with its last view.
    expect(tf.memory().numTensors).toBe(start);
  });
});
