import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, ModelFormatError } from '@rlgf/contracts';
import { setBackend, writeCheckpoint } from '@rlgf/models';
import { rejectionOf } from '@rlgf/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import golden from './__fixtures__/tiny-distilbert-golden.json';
import { tinyConfig, tinyTokenizerJson, tinyWeights, writeTinyDistilBert } from './__fixtures__/tiny-distilbert';
import { ClassifierTokenizer } from './classifier-tokenizer';
import { positiveLabelIndex } from './distilbert-config';
import { loadDistilBertClassifier } from './distilbert-classifier';

let scratch: string;
let checkpoint: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'rlgf-distilbert-'));
  checkpoint = join(scratch, 'tiny');
  await writeTinyDistilBert(checkpoint);
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

const texts = golden.items.map((item) => item.text);

describe('ClassifierTokenizer (BERT uncased WordPiece via @huggingface/tokenizers)', () => {
  it('gives the ids of the Python BasicTokenizer + WordPiece reference, truncated from the left', () => {
    const tokenizer = new ClassifierTokenizer({ tokenizerJson: tinyTokenizerJson(), tokenizerConfig: { do_lower_case: true }, specialTokensMap: {} }, 24, 'tiny');
    for (const item of golden.items) expect(tokenizer.encode(item.text)).toEqual(item.input_ids);
    // The long review keeps its last 22 tokens between [CLS] and [SEP].
    expect(golden.items[8].input_ids).toHaveLength(24);
  });
});

describe.each(['cpu', 'wasm'])('DistilBERT classifier on %s', (backend) => {
  beforeAll(() => setBackend(backend));

  it('reproduces the PyTorch reference probabilities of a random checkpoint, batched with padding', async () => {
    const before = tf.memory().numTensors;
    const classifier = await loadDistilBertClassifier(checkpoint, { batchSize: 4 });
    const probabilities = await classifier.positiveProbabilities(texts);
    probabilities.forEach((p, i) => expect(p).toBeCloseTo(golden.items[i].positive_probability, 6));
    // One at a time gives the same numbers: padding does not leak into the real tokens.
    const single = await loadDistilBertClassifier(checkpoint, { batchSize: 1 });
    (await single.positiveProbabilities(texts)).forEach((p, i) => expect(p).toBeCloseTo(probabilities[i], 5));
    classifier.dispose();
    single.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('DistilBERT checkpoints', () => {
  it('scores the negative class when asked by label name or index', async () => {
    const negative = await loadDistilBertClassifier(checkpoint, { batchSize: 8, label: 'negative' });
    const byIndex = await loadDistilBertClassifier(checkpoint, { batchSize: 8, label: 0 });
    const scores = await negative.positiveProbabilities(texts.slice(0, 3));
    scores.forEach((p, i) => expect(p).toBeCloseTo(1 - golden.items[i].positive_probability, 5));
    expect(await byIndex.positiveProbabilities(texts.slice(0, 3))).toEqual(scores);
    negative.dispose();
    byIndex.dispose();
  });

  it('finds the positive class by name, else class 1 of two', () => {
    expect(positiveLabelIndex(['NEGATIVE', 'POSITIVE'], undefined)).toBe(1);
    expect(positiveLabelIndex(['pos', 'neg'], undefined)).toBe(0);
    expect(positiveLabelIndex(['LABEL_0', 'LABEL_1'], undefined)).toBe(1);
    expect(() => positiveLabelIndex(['a', 'b', 'c'], undefined)).toThrow(InvalidArgumentError);
    expect(() => positiveLabelIndex(['a', 'b'], 'c')).toThrow(/one of the checkpoint's labels: a, b/);
  });

  it('refuses weights that do not match config.json, naming the tensor, and uploads nothing', async () => {
    const broken = join(scratch, 'broken');
    const weights = tinyWeights();
    weights.delete('distilbert.transformer.layer.1.ffn.lin2.weight');
    await writeCheckpoint(broken, { config: tinyConfig, weights, tokenizerFiles: { tokenizerJson: tinyTokenizerJson(), tokenizerConfig: {}, specialTokensMap: {} } });
    const before = tf.memory().numTensors;
    const error = await rejectionOf(loadDistilBertClassifier(broken, { batchSize: 4 }));
    expect(ModelFormatError.isInstance(error)).toBe(true);
    expect(String(error)).toContain('distilbert.transformer.layer.1.ffn.lin2.weight');
    expect(tf.memory().numTensors).toBe(before);
  });
});
