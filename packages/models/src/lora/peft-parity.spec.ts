import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { idTokenizer } from '../architectures/__fixtures__/family-fixtures';
import { sequenceInputs } from '../architectures/forward-inputs';
import { setBackend } from '../backend/set-backend';
import type { CausalLanguageModel } from '../model/causal-language-model';
import { createLanguageModel } from '../model/create-language-model';
import type { HostTensor } from '../weights/weight-map';
import { LoraBase } from './lora-model';
import { loadPeftAdapter } from './peft-files';

/** Written by tools/lora-reference/lora_reference.py (PyTorch, PEFT's layout by hand, W + scale·B·A merged there). */
const dir = join(__dirname, '__fixtures__', 'peft-llama');
const reference = JSON.parse(readFileSync(join(dir, 'reference.json'), 'utf8')) as {
  config: Record<string, unknown>;
  weights: Record<string, { shape: number[]; data: number[] }>;
  prompts: number[][];
  ids: number[][];
  attention_mask: number[][];
  logits: number[][][];
  base_ids: number[][];
};
const weights = new Map<string, HostTensor>(Object.entries(reference.weights).map(([name, t]) => [name, { shape: t.shape, data: Float32Array.from(t.data) }]));
const newTokens = (rows: number[][]) => rows.map((row) => row.slice(row.length - 6));

describe.each(['cpu', 'wasm'])('a PEFT adapter written by an independent script (%s)', (backend) => {
  beforeAll(() => setBackend(backend));

  it('decodes greedily exactly as PyTorch with the adapter merged, logits to 1e-4; the base without it as the base', async () => {
    const before = tf.memory().numTensors;
    const base = LoraBase.of(createLanguageModel(reference.config, weights, idTokenizer, { trainable: false }));
    const policy = base.view(await loadPeftAdapter(base, dir, { seed: 0, trainable: false })) as CausalLanguageModel;
    const plain = base.view();
    const request = { promptIds: reference.prompts, maxNewTokens: 6, decoding: { strategy: 'greedy' as const }, stopAtEos: false };
    expect((await policy.generate(request)).ids).toEqual(newTokens(reference.ids));
    expect((await plain.generate(request)).ids).toEqual(newTokens(reference.base_ids));
    const logits = tf.tidy(() => policy.forward(sequenceInputs(reference.ids, reference.attention_mask)).logits.arraySync());
    let worst = 0;
    reference.attention_mask.forEach((row, b) =>
      row.forEach((valid, t) => valid === 1 && reference.logits[b][t].forEach((expected, v) => (worst = Math.max(worst, Math.abs(logits[b][t][v] - expected))))),
    );
    expect(worst).toBeLessThan(1e-4);
    policy.dispose();
    plain.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
