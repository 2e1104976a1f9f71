import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sameBits, weightOf } from '../architectures/__fixtures__/golden-fixtures';
import { readT5Fixture } from '../architectures/t5/__fixtures__/t5-fixtures';
import { t5TestTokenizerFiles } from '../architectures/t5/__fixtures__/t5-tokenizer';
import { setBackend } from '../backend/set-backend';
import { Critic } from '../critic/critic';
import { AdamW } from '../nn/adamw';
import { createTokenizer } from '../tokenizers/hf-tokenizer';
import { createLanguageModel } from './create-language-model';
import { loadLanguageModel, saveLanguageModel } from './load-language-model';
import { loadModelReference } from './load-model-reference';
import { Seq2SeqDecodeSession } from './seq2seq-decode-session';
import { Seq2SeqLanguageModel } from './seq2seq-language-model';
import type { TrainableLanguageModel } from './trainable-language-model';

const tokenizerFiles = t5TestTokenizerFiles();
const tokenizer = createTokenizer(tokenizerFiles);
const fixture = readT5Fixture('t5-v1_1-gated-gelu-untied');

function t5Model(trainable = true): Seq2SeqLanguageModel {
  const model = createLanguageModel(fixture.config, fixture.weights, tokenizer, { trainable, tokenizerFiles });
  if (!(model instanceof Seq2SeqLanguageModel)) throw new Error('expected an encoder-decoder model');
  return model;
}

const prompts = [tokenizer.encode('the cat sat on the mat'), tokenizer.encode('a big dog'), tokenizer.encode('boy')];

describe('a T5 tokenizer.json (SentencePiece unigram)', () => {
  it('appends </s>, uses <pad> 0 and </s> 1, and decodes back to the text', () => {
    expect(tokenizer.encode('the cat sat')).toEqual([4, 5, 7, 1]);
    expect(tokenizer.encode('the cats', { addSpecialTokens: false })).toEqual([4, 5, 26]);
    expect([tokenizer.padTokenId, tokenizer.eosTokenId]).toEqual([0, 1]);
    expect(tokenizer.decode(tokenizer.encode('the red ball is in the park.'))).toBe('the red ball is in the park.');
  });
});

describe.each(['cpu', 'wasm'] as const)('T5 language model on %s', (backend) => {
  let model: Seq2SeqLanguageModel;
  beforeAll(async () => {
    await setBackend(backend);
    model = t5Model();
  });
  afterAll(() => model.dispose());

  it('describes itself as an encoder-decoder', () => {
    expect(model.info).toMatchObject({ modelType: 't5', vocabSize: 32, isEncoderDecoder: true });
    expect([model.eosTokenIds, model.padTokenId, model.decoderStartTokenId, model.hiddenSize]).toEqual([[1], 0, 0, 16]);
  });

  it('decodes step by step with the cache exactly as without it, and as one full pass', async () => {
    const network = model.network;
    const withCache = new Seq2SeqDecodeSession(network, prompts, 5, { padTokenId: 0 });
    const without = new Seq2SeqDecodeSession(network, prompts, 5, { padTokenId: 0, useCache: false });
    const tokens = [
      [7, 3, 9],
      [12, 12, 1],
      [30, 4, 4],
    ];
    const cached = [await withCache.start()];
    const recomputed = [await without.start()];
    for (const step of tokens) {
      cached.push(await withCache.step(step));
      recomputed.push(await without.step(step));
    }
    withCache.dispose();
    without.dispose();
    cached.forEach((logits, step) => logits.forEach((value, i) => expect(value).toBeCloseTo(recomputed[step][i], 4)));
    // The last step's logits are those of a full continuation scored at once.
    const scores = await model.scoreTokens(prompts, prompts.map((_, row) => [...tokens.map((step) => step[row]), 5]));
    const last = cached[3];
    prompts.forEach((_, row) => {
      const logits = last.subarray(row * 32, (row + 1) * 32);
      const logSum = Math.log(logits.reduce((sum, value) => sum + Math.exp(value), 0));
      expect(logits[5] - logSum).toBeCloseTo(scores[row][3], 4);
    });
  });

  it('generates with seeded sampling, forced prefixes and minimum lengths, scored consistently, without leaking', async () => {
    const before = tf.memory().numTensors;
    const request = { promptIds: prompts, maxNewTokens: 6, minNewTokens: 3, forcedPrefixIds: [[9, 10], [], [1]], decoding: { strategy: 'sample' as const, topK: 8, topP: 0.9 }, seed: 4 };
    const first = await model.generate(request);
    const again = await model.generate(request);
    const scores = await model.scoreTokens(prompts, first.ids.map((ids, row) => ids.filter((_, j) => first.mask[row][j] === 1)));
    expect(tf.memory().numTensors).toBe(before);
    expect(again).toEqual(first);
    expect(first.ids[0].slice(0, 2)).toEqual([9, 10]);
    // A forced EOS ends the row at once; otherwise EOS waits for three tokens.
    expect(first.mask[2]).toEqual([1, 0, 0, 0, 0, 0]);
    expect(first.ids[1].slice(0, 2).includes(1)).toBe(false);
    scores.forEach((row, r) => row.forEach((score, j) => expect(score).toBeCloseTo(first.logProbs[r][j], 4)));
  });

  it('finds beams: one beam is greedy, more beams report their own log-probs and keep forced tokens', async () => {
    const before = tf.memory().numTensors;
    const greedy = await model.generate({ promptIds: prompts, maxNewTokens: 5, decoding: { strategy: 'greedy' } });
    const oneBeam = await model.generate({ promptIds: prompts, maxNewTokens: 5, decoding: { strategy: 'beam', numBeams: 1 } });
    const beams = await model.generate({ promptIds: prompts, maxNewTokens: 5, forcedPrefixIds: [[], [13], []], decoding: { strategy: 'beam', numBeams: 4 } });
    expect(tf.memory().numTensors).toBe(before);
    expect(oneBeam.ids).toEqual(greedy.ids);
    expect(beams.ids[1][0]).toBe(13);
    const scores = await model.scoreTokens(prompts, beams.ids.map((ids, row) => ids.filter((_, j) => beams.mask[row][j] === 1)));
    scores.forEach((row, r) => row.forEach((score, j) => expect(score).toBeCloseTo(beams.logProbs[r][j], 4)));
  });

  it('scores continuations differentiably, like scoreTokens, with decoder hidden states', async () => {
    const rows = [
      { promptIds: prompts[0], tokens: [5, 6, 7, 1] },
      { promptIds: prompts[2], tokens: [20] },
    ];
    const before = tf.memory().numTensors;
    const batch = model.continuationBatch(rows, 4);
    const { logProbs, entropies, hidden } = tf.tidy(() => {
      const scores = model.scoreContinuations(batch);
      return { logProbs: scores.logProbs.arraySync(), entropies: scores.entropies.arraySync(), hidden: scores.hidden.shape };
    });
    batch.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(hidden).toEqual([2, 4, 16]);
    const reference = await model.scoreTokens(rows.map((r) => r.promptIds), rows.map((r) => r.tokens));
    rows.forEach((row, i) => row.tokens.forEach((_, j) => expect(logProbs[i][j]).toBeCloseTo(reference[i][j], 4)));
    rows.forEach((row, i) => row.tokens.forEach((_, j) => expect(entropies[i][j]).toBeGreaterThan(0)));
  });

  it('learns from a supervised step through encoder and decoder, and a critic learns on its hidden states', async () => {
    const learner = model.clone();
    const batch = learner.continuationBatch([{ promptIds: prompts[0], tokens: [5, 6, 7, 1] }, { promptIds: prompts[1], tokens: [13, 1] }], 4);
    const mask = tf.tensor2d([
      [1, 1, 1, 1],
      [1, 1, 0, 0],
    ]);
    const optimizer = new AdamW({ learningRate: 0.01, weightDecay: 0 });
    const loss = () => tf.neg(tf.div(tf.sum(tf.mul(learner.scoreContinuations(batch).logProbs, mask)), 6)) as tf.Scalar;
    const encoderBias = (await learner.getWeights()).get('encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight');
    const losses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const { value, grads } = tf.variableGrads(loss, [...learner.trainableVariables]);
      optimizer.applyGradients([...learner.trainableVariables], learner.trainableVariables.map((variable) => grads[variable.name]));
      losses.push(value.dataSync()[0]);
      tf.dispose([value, grads]);
    }
    expect(losses[4]).toBeLessThan(losses[0] * 0.8);
    expect(sameBits(weightOf(await learner.getWeights(), 'encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight'), encoderBias ?? { shape: [], data: new Float32Array() })).toBe(false);
    const critic = new Critic({ trunk: 'separate', trunkFrom: learner });
    const criticOptimizer = new AdamW({ learningRate: 0.03, weightDecay: 0 });
    const targets = tf.fill([2, 4], 0.5);
    const criticStep = () => {
      const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(tf.sub(critic.continuationValues(batch), targets))) as tf.Scalar, critic.variables);
      criticOptimizer.applyGradients(critic.variables, critic.variables.map((variable) => grads[variable.name]));
      const result = value.dataSync()[0];
      tf.dispose([value, grads]);
      return result;
    };
    const first = criticStep();
    const before = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 14; i++) last = criticStep();
    expect(tf.memory().numTensors).toBe(before);
    expect(last).toBeLessThan(first * 0.1);
    tf.dispose([mask, targets]);
    batch.dispose();
    [optimizer, criticOptimizer].forEach((o) => o.dispose());
    critic.dispose();
    learner.dispose();
  });
});

describe('T5 checkpoints', () => {
  let scratch: string;
  beforeAll(async () => {
    await setBackend('wasm');
    scratch = await mkdtemp(join(tmpdir(), 'rlgf-t5-'));
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  it('reload from a saved checkpoint and generate identically (greedy, sampled and beams)', async () => {
    const model = t5Model();
    const dir = join(scratch, 'saved');
    await saveLanguageModel(model, dir);
    const again = await loadLanguageModel(dir);
    expect(again).toBeInstanceOf(Seq2SeqLanguageModel);
    const reloaded = await again.getWeights();
    for (const [name, tensor] of await model.getWeights()) expect(sameBits(weightOf(reloaded, name), tensor)).toBe(true);
    for (const decoding of [{ strategy: 'greedy' as const }, { strategy: 'sample' as const, topK: 5 }, { strategy: 'beam' as const, numBeams: 3 }]) {
      const request = { promptIds: prompts, maxNewTokens: 6, decoding, seed: 11 };
      expect(await again.generate(request)).toEqual(await model.generate(request));
    }
    const frozen = again.frozenCopy();
    expect(frozen.trainableVariables).toEqual([]);
    [model, again, frozen].forEach((m) => m.dispose());
  });

  it('start from scratch through a model reference with init: random, seeded', async () => {
    const dir = join(scratch, 'scratch-model');
    await rm(dir, { recursive: true, force: true });
    const { mkdir } = await import('node:fs/promises');
    await mkdir(dir);
    await writeFile(join(dir, 'config.json'), JSON.stringify(fixture.config));
    await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(tokenizerFiles.tokenizerJson));
    await writeFile(join(dir, 'special_tokens_map.json'), JSON.stringify(tokenizerFiles.specialTokensMap));
    const load = (seed: number): Promise<TrainableLanguageModel> => loadModelReference({ source: dir, init: 'random' }, { seed, cacheDir: scratch });
    const [a, b, c] = [await load(3), await load(3), await load(4)];
    expect(a).toBeInstanceOf(Seq2SeqLanguageModel);
    const name = 'decoder.block.0.layer.0.SelfAttention.q.weight';
    expect(sameBits(weightOf(await a.getWeights(), name), weightOf(await b.getWeights(), name))).toBe(true);
    expect(sameBits(weightOf(await a.getWeights(), name), weightOf(await c.getWeights(), name))).toBe(false);
    // transformers' T5 initialisation: q ~ N(0, (d_model·d_kv)^-1), embeddings ~ N(0, 1), norms 1.
    const q = weightOf(await a.getWeights(), name).data;
    const std = Math.sqrt(q.reduce((sum, x) => sum + x * x, 0) / q.length);
    expect(std).toBeGreaterThan(0.7 / Math.sqrt(16 * 6));
    expect(std).toBeLessThan(1.3 / Math.sqrt(16 * 6));
    expect(Array.from(weightOf(await a.getWeights(), 'decoder.final_layer_norm.weight').data)).toEqual(new Array(16).fill(1));
    [a, b, c].forEach((m) => m.dispose());
  });
});
