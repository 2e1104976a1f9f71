import * as tf from '@tensorflow/tfjs-core';
import type { HubFilesV1 } from '@rlgf/contracts';
import { createHubFiles, hubSettingsFromEnv } from '@rlgf/hub';
import { openCheckpointSource, setBackend } from '@rlgf/models';
import { sharedHubMirror } from '@rlgf/testing';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSentimentClassifier } from '../classifier/load-classifier';
import { evaluateNgramModel } from '../trainer/evaluate';
import { loadImdbReviews } from '../trainer/imdb-reviews';
import { readNgramCheckpoint, saveNgramCheckpoint } from './ngram-checkpoint';
import { ngramPositiveProbabilities, textFeatures, type NgramFeaturesConfig } from './ngram-model';
import { reviewWordsTokenizer } from './review-words';
import { trainNgramModel, type LabelledFeatures, type NgramTrainingSettings } from './train-ngram';

// A few hundred real reviews: enough to learn well above chance in well under a second.
const hub: HubFilesV1 = createHubFiles({ ...hubSettingsFromEnv(), mirrorDir: sharedHubMirror(), offline: true });
const features: NgramFeaturesConfig = { tokenizer: reviewWordsTokenizer, ngramMax: 2, buckets: 1 << 14 };
const settings: NgramTrainingSettings = { features, epochs: 2, learningRate: 0.01, batchSize: 32, nbSmoothing: 1, seed: 3 };

let train: LabelledFeatures[];
let heldOut: LabelledFeatures[];
let heldOutTexts: string[];
let scratch: string;
beforeAll(async () => {
  const [trainReviews, testReviews] = await Promise.all([loadImdbReviews(hub, 'train', { count: 1000, seed: 1 }), loadImdbReviews(hub, 'test', { count: 300, seed: 1 })]);
  train = trainReviews.map((review) => ({ features: textFeatures(review.text, features), label: review.label }));
  heldOut = testReviews.map((review) => ({ features: textFeatures(review.text, features), label: review.label }));
  heldOutTexts = testReviews.map((review) => review.text);
  scratch = await mkdtemp(join(tmpdir(), 'rlgf-ngram-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe.each(['cpu', 'wasm'])('trainNgramModel on %s', (backend) => {
  beforeAll(() => setBackend(backend));

  it('learns sentiment from 1,000 reviews: held-out accuracy well above chance, no tensors left', async () => {
    const before = tf.memory().numTensors;
    const model = await trainNgramModel(train, settings);
    expect(tf.memory().numTensors).toBe(before);
    const { accuracy, logLoss } = evaluateNgramModel(model, heldOut);
    expect(accuracy).toBeGreaterThan(0.72);
    expect(logLoss).toBeLessThan(Math.log(2));
  });

  it('gives the same weights for the same seed and other weights for another seed', async () => {
    const first = await trainNgramModel(train.slice(0, 300), settings);
    const again = await trainNgramModel(train.slice(0, 300), settings);
    expect(again.weights).toEqual(first.weights);
    expect(again.bias).toBe(first.bias);
    const reseeded = await trainNgramModel(train.slice(0, 300), { ...settings, seed: 4 });
    expect(reseeded.weights).not.toEqual(first.weights);
  });
});

describe('n-gram checkpoints', () => {
  it('save and load to the same weights and exactly the same scores', async () => {
    const model = await trainNgramModel(train, settings);
    const dir = join(scratch, 'saved');
    await saveNgramCheckpoint(dir, model, { training: { seed: 3 }, metrics: { accuracy: 0.5 } });
    const files = await openCheckpointSource(dir);
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(config).toMatchObject({ model_type: 'rlgf-ngram-sentiment', features: { tokenizer: 'review-words-v1', ngram_max: 2, buckets: 16384 }, metrics: { accuracy: 0.5 } });
    const loaded = await readNgramCheckpoint(files, config);
    expect(loaded.weights).toEqual(model.weights);
    expect(loaded.bias).toBe(model.bias);
    const classifier = await loadSentimentClassifier(dir, { batchSize: 1 });
    expect(await classifier.positiveProbabilities(heldOutTexts)).toEqual(ngramPositiveProbabilities(model, heldOutTexts));
  });

  it('replaces an existing checkpoint in place', async () => {
    const dir = join(scratch, 'replaced');
    const model = await trainNgramModel(train, settings);
    await saveNgramCheckpoint(dir, { ...model, bias: 1 }, { training: {}, metrics: {} });
    await saveNgramCheckpoint(dir, model, { training: {}, metrics: {} });
    const config = JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect((await readNgramCheckpoint(await openCheckpointSource(dir), config)).bias).toBe(model.bias);
  });
});
