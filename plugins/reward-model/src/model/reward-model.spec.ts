import * as tf from '@tensorflow/tfjs-core';
import { ModelFormatError, type TokenizerV1 } from '@rlgf/contracts';
import { loadCausalLanguageModel, readCheckpoint, readSafetensorsFile, sequenceInputs, setBackend, writeCheckpoint, type Checkpoint } from '@rlgf/models';
import { createHubFiles } from '@rlgf/hub';
import { rejectionOf, startHubServer } from '@rlgf/testing';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheDir, mirrorHub, storiesCheckpoint, tinyLlamaRewardModel } from '../__fixtures__/tiny-reward-models';
import { isRewardModelSource, loadRewardModel, rewardModelFromTrunk } from './load-reward-model';
import type { RewardModel } from './reward-model';

const texts = [
  'SUBREDDIT: r/cats\nTITLE: My cat\nPOST: She sleeps all day.\nTL;DR: lazy cat',
  'SUBREDDIT: r/dogs\nTITLE: Walks\nPOST: How long should a walk be for a small dog that is old?\nTL;DR: walk length',
  'short text',
  'SUBREDDIT: r/x\nTITLE: y\nPOST: z\nTL;DR: w',
];

let stories: Checkpoint;
beforeAll(async () => {
  stories = await storiesCheckpoint();
});

async function scoreAlone(model: RewardModel, list: readonly string[]): Promise<number[]> {
  const scores: number[] = [];
  for (const text of list) scores.push(...(await model.score([text], { batchSize: 1 })));
  return scores;
}

describe.each(['cpu', 'wasm'])('RewardModel on %s', (backend) => {
  beforeAll(() => setBackend(backend));

  it('reads the final hidden state of the last token through score.weight, padded or alone, without leaking tensors', async () => {
    const model = tinyLlamaRewardModel(stories, { seed: 3 });
    const dir = join(await cacheDir(), 'trunk');
    try {
      const before = tf.memory().numTensors;
      const batched = await model.score(texts, { batchSize: 4 });
      expect(tf.memory().numTensors).toBe(before);
      const alone = await scoreAlone(model, texts);
      batched.forEach((score, i) => expect(score).toBeCloseTo(alone[i], 5));
      // The same numbers from the trunk as a causal LM: hidden state of the last token · score.
      const weights = await model.getWeights();
      const head = weights.get('score.weight')?.data as Float32Array;
      await writeCheckpoint(dir, { config: { ...stories.config, hidden_size: 16, intermediate_size: 40, num_hidden_layers: 2, num_attention_heads: 2, num_key_value_heads: 1, head_dim: 8, max_position_embeddings: 64 }, weights, tokenizerFiles: stories.tokenizerFiles });
      const lm = await loadCausalLanguageModel(dir, { trainable: false });
      const ids = model.encode(texts[1]);
      const hidden = tf.tidy(() => {
        const { hidden: states } = lm.forward(sequenceInputs([ids]));
        return tf.slice(states, [0, ids.length - 1, 0], [1, 1, 16]);
      });
      const expected = Array.from(hidden.dataSync()).reduce((sum, h, i) => sum + h * head[i], 0);
      hidden.dispose();
      lm.dispose();
      expect(batched[1]).toBeCloseTo(expected, 5);
      expect(new Set(batched.map((s) => s.toFixed(6))).size).toBe(texts.length);
    } finally {
      model.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps the end of a text longer than maxTokens', async () => {
    const model = tinyLlamaRewardModel(stories, { seed: 3, maxTokens: 12 });
    try {
      const long = `${'the cat sat on the mat and then '.repeat(5)}TL;DR: the end`;
      const ids = model.encode(long);
      expect(ids).toHaveLength(12);
      expect(ids[0]).toBe(1);
      expect(ids.slice(1)).toEqual(stories.tokenizer.encode(long).slice(-11));
      const [short] = await model.score([stories.tokenizer.decode(ids.slice(1))], { batchSize: 1 });
      const [cut] = await model.score([long], { batchSize: 1 });
      expect(cut).toBeCloseTo(short, 5);
    } finally {
      model.dispose();
    }
  });
});

describe('reward-model checkpoints', () => {
  beforeAll(() => setBackend('cpu'));

  it('save in transformers\' sequence-classification layout and load back to identical rewards (Llama)', async () => {
    const model = tinyLlamaRewardModel(stories, { seed: 5 });
    const dir = join(await cacheDir(), 'rm');
    try {
      await model.save(dir);
      const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
      expect(config).toMatchObject({ architectures: ['LlamaForSequenceClassification'], model_type: 'llama', num_labels: 1, id2label: { '0': 'LABEL_0' }, pad_token_id: model.padTokenId });
      const tensors = (await readSafetensorsFile(join(dir, 'model.safetensors'))).tensors;
      expect(tensors.get('score.weight')?.shape).toEqual([1, 16]);
      expect([...tensors.keys()].filter((name) => !name.startsWith('model.') && name !== 'score.weight')).toEqual([]);
      expect(tensors.has('model.embed_tokens.weight')).toBe(true);
      const tokenizerConfig = JSON.parse(await readFile(join(dir, 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>;
      expect(tokenizerConfig).toMatchObject({ model_max_length: 64, truncation_side: 'left' });
      const loaded = await loadRewardModel(dir);
      try {
        expect(loaded.maxTokens).toBe(64);
        expect(await loaded.score(texts, { batchSize: 2 })).toEqual(await model.score(texts, { batchSize: 2 }));
      } finally {
        loaded.dispose();
      }
    } finally {
      model.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('save and load a GPT-2 trunk from the Hub (sshleifer/tiny-gpt2) the same way', async () => {
    const model = await rewardModelFromTrunk('sshleifer/tiny-gpt2', { hub: mirrorHub, cacheDir: await cacheDir(), seed: 1 });
    const dir = join(await cacheDir(), 'rm-gpt2');
    try {
      await model.save(dir);
      const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
      expect(config).toMatchObject({ architectures: ['GPT2ForSequenceClassification'], num_labels: 1, pad_token_id: 50256 });
      const names = [...(await readSafetensorsFile(join(dir, 'model.safetensors'))).tensors.keys()];
      expect(names).toContain('score.weight');
      expect(names.filter((name) => !name.startsWith('transformer.') && name !== 'score.weight')).toEqual([]);
      const loaded = await loadRewardModel(dir);
      try {
        expect(await loaded.score(texts, { batchSize: 3 })).toEqual(await model.score(texts, { batchSize: 3 }));
      } finally {
        loaded.dispose();
      }
    } finally {
      model.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('load from a Hub repository (a loopback Hub) as from a directory', async () => {
    const model = tinyLlamaRewardModel(stories, { seed: 6 });
    const root = await cacheDir();
    await model.save(join(root, 'models/acme/tldr-rm'));
    const server = await startHubServer({ root });
    try {
      const hub = createHubFiles({ endpoint: server.url, cacheDir: join(root, 'hub-cache'), offline: false });
      expect(await isRewardModelSource('acme/tldr-rm', { hub })).toBe(true);
      const loaded = await loadRewardModel('acme/tldr-rm', { hub });
      expect(await loaded.score(texts, { batchSize: 2 })).toEqual(await model.score(texts, { batchSize: 2 }));
      loaded.dispose();
      expect(server.requests.some((request) => request.url.includes('/acme/tldr-rm/resolve/main/model.safetensors'))).toBe(true);
    } finally {
      model.dispose();
      await server.close();
      await rm(root, { recursive: true, force: true });
    }
  });

  it('refuse a causal LM, a checkpoint without score.weight, and several labels, saying why', async () => {
    const notClassifier = await rejectionOf(loadRewardModel('sshleifer/tiny-gpt2', { hub: mirrorHub }));
    expect(ModelFormatError.isInstance(notClassifier)).toBe(true);
    expect(String(notClassifier)).toContain('is not a reward model');

    const model = tinyLlamaRewardModel(stories, { seed: 5 });
    const dir = join(await cacheDir(), 'broken');
    try {
      await model.save(dir);
      const saved = await readCheckpoint(dir);
      const withoutHead = new Map([...saved.weights].filter(([name]) => name !== 'score.weight'));
      await writeCheckpoint(dir, { config: saved.config, weights: withoutHead, tokenizerFiles: saved.tokenizerFiles });
      expect(String(await rejectionOf(loadRewardModel(dir)))).toContain('has no score.weight');
      await writeCheckpoint(dir, { config: { ...saved.config, id2label: { '0': 'bad', '1': 'good' } }, weights: saved.weights, tokenizerFiles: saved.tokenizerFiles });
      expect(String(await rejectionOf(loadRewardModel(dir)))).toContain('has 2 labels');
    } finally {
      model.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('tokenizes as the trunk does (BOS first for Llama)', () => {
    const model = tinyLlamaRewardModel(stories, { seed: 5 });
    const tokenizer: TokenizerV1 = stories.tokenizer;
    expect(model.encode('a cat')).toEqual(tokenizer.encode('a cat'));
    expect(model.encode('a cat')[0]).toBe(1);
    model.dispose();
  });
});
