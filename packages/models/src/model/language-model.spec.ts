import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError } from '@rlgf/contracts';
import { sharedHubMirror } from '@rlgf/testing';
import { sameBits, weightOf } from '../architectures/__fixtures__/golden-fixtures';
import { sequenceInputs } from '../architectures/forward-inputs';
import type { CausalLanguageModel } from './causal-language-model';
import { loadCausalLanguageModel, loadLanguageModel, saveLanguageModel } from './load-language-model';

const tinyGpt2 = join(sharedHubMirror(), 'models/sshleifer/tiny-gpt2');
const golden = JSON.parse(readFileSync(join(__dirname, '../architectures/__fixtures__/sshleifer-tiny-gpt2-logits.json'), 'utf8')) as {
  input_ids: number[][];
  attention_mask: number[][];
  vocab_slice: [number, number];
  logits: number[][][];
  logits_tail: number[][][];
};

describe.each(['cpu', 'wasm'] as const)('tiny-gpt2 from the Hub mirror on %s', (backend) => {
  let model: CausalLanguageModel;
  let scratch: string;
  beforeAll(async () => {
    model = await loadCausalLanguageModel(tinyGpt2, { backend });
    scratch = await mkdtemp(join(tmpdir(), 'rlgf-lm-'));
  });
  afterAll(async () => {
    model.dispose();
    await rm(scratch, { recursive: true, force: true });
  });

  it('describes itself', () => {
    expect(model.info).toEqual({ modelType: 'gpt2', vocabSize: 50257, maxPositions: 1024, isEncoderDecoder: false, parameterCount: 102_714 });
    expect(model.eosTokenIds).toEqual([50256]);
  });

  it('matches the PyTorch reference logits', () => {
    const logits = tf.tidy(() => model.forward(sequenceInputs(golden.input_ids, golden.attention_mask)).logits.arraySync());
    let worst = 0;
    golden.attention_mask.forEach((row, b) =>
      row.forEach((valid, t) => {
        if (valid === 0) return;
        golden.logits[b][t].forEach((expected, v) => (worst = Math.max(worst, Math.abs(logits[b][t][v] - expected))));
        golden.logits_tail[b][t].forEach((expected, v) => (worst = Math.max(worst, Math.abs(logits[b][t][50257 - 8 + v] - expected))));
      }),
    );
    expect(worst).toBeLessThan(1e-4);
  });

  it('generates and scores through the LanguageModelV1 surface without leaking', async () => {
    const promptIds = [model.tokenizer.encode('Hello world'), model.tokenizer.encode('The')];
    const before = tf.memory().numTensors;
    const result = await model.generate({ promptIds, maxNewTokens: 5, decoding: { strategy: 'sample', topK: 50 }, seed: 1 });
    const scores = await model.scoreTokens(promptIds, result.ids);
    expect(tf.memory().numTensors).toBe(before);
    scores.forEach((row, r) => row.forEach((score, j) => result.mask[r][j] === 1 && expect(score).toBeCloseTo(result.logProbs[r][j], 4)));
    expect(typeof model.tokenizer.decode(result.ids[0])).toBe('string');
  });

  it('saves and loads back bit-exact weights', async () => {
    const dir = join(scratch, backend);
    await saveLanguageModel(model, dir);
    const again = await loadLanguageModel(dir);
    const [saved, original] = [await again.getWeights(), await model.getWeights()];
    expect([...saved.keys()].sort()).toEqual([...original.keys()].sort());
    for (const [name, tensor] of original) expect(sameBits(weightOf(saved, name), tensor)).toBe(true);
    again.dispose();
  });

  it('makes frozen copies that never share variables with the original', async () => {
    const frozen = model.frozenCopy();
    expect(frozen.trainableVariables).toEqual([]);
    expect(model.trainableVariables.length).toBeGreaterThan(0);
    const first = model.trainableVariables[0];
    const saved = first.dataSync().slice();
    tf.tidy(() => first.assign(tf.add(first, 1)));
    expect(weightOf(await frozen.getWeights(), 'transformer.wte.weight').data[0]).toBe(saved[0]);
    expect(weightOf(await model.getWeights(), 'transformer.wte.weight').data[0]).toBeCloseTo(saved[0] + 1, 5);
    tf.tidy(() => first.assign(tf.tensor(saved, first.shape)));
    frozen.dispose();
    await expect(frozen.getWeights()).rejects.toThrow(InvalidArgumentError);
  });
});
