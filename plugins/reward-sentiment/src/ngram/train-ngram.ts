import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@rlgf/core';
import { AdamW } from '@rlgf/models';
import { nbLogCountRatios } from './nb-ratios';
import type { NgramFeaturesConfig, NgramModel } from './ngram-model';

/** One training review: its hashed features and label (1 positive, 0 negative). */
export interface LabelledFeatures {
  readonly features: Int32Array;
  readonly label: number;
}

export interface NgramTrainingSettings {
  readonly features: NgramFeaturesConfig;
  readonly epochs: number;
  readonly learningRate: number;
  readonly batchSize: number;
  /** α of the naive-Bayes ratios. */
  readonly nbSmoothing: number;
  readonly seed: number;
}

export interface NgramTrainingHooks {
  /** Called after every batch with the batches done, their total and the batch loss. */
  readonly onBatch?: (done: number, total: number, loss: number) => void;
  readonly abortSignal?: AbortSignal;
}

interface SparseBatch {
  readonly buckets: tf.Tensor1D;
  readonly scales: tf.Tensor1D;
  readonly rows: tf.Tensor1D;
  readonly labels: tf.Tensor1D;
  readonly size: number;
}

/** A batch as flat (bucket, NB scale, row) triples, one per feature of each review. */
function sparseBatch(examples: readonly LabelledFeatures[], picked: readonly number[], ratios: Float32Array): SparseBatch {
  const total = picked.reduce((sum, index) => sum + examples[index].features.length, 0);
  const buckets = new Int32Array(total);
  const scales = new Float32Array(total);
  const rows = new Int32Array(total);
  let offset = 0;
  picked.forEach((index, row) => {
    for (const bucket of examples[index].features) {
      buckets[offset] = bucket;
      scales[offset] = ratios[bucket];
      rows[offset] = row;
      offset += 1;
    }
  });
  return {
    buckets: tf.tensor1d(buckets, 'int32'),
    scales: tf.tensor1d(scales),
    rows: tf.tensor1d(rows, 'int32'),
    labels: tf.tensor1d(picked.map((index) => examples[index].label)),
    size: picked.length,
  };
}

/**
 * Trains NB-LR (Wang & Manning 2012) in TensorFlow.js: a logistic regression whose binary
 * hashed n-gram features are scaled by their naive-Bayes log-count ratios, fitted with Adam (the
 * project's AdamW without decay) on mini-batches in a seeded order. The logit of a batch is an
 * embedding bag of width 1: gather the weights of the features, scale them, sum per review
 * (`unsortedSegmentSum`), add the bias. The result folds the ratios into the weights, so
 * scoring needs no ratios.
 */
export async function trainNgramModel(examples: readonly LabelledFeatures[], settings: NgramTrainingSettings, hooks: NgramTrainingHooks = {}): Promise<NgramModel> {
  const { buckets } = settings.features;
  const ratios = nbLogCountRatios(examples, buckets, settings.nbSmoothing);
  // Inside tidy, so that the initial values are freed once the variables hold them.
  const [weights, bias] = tf.tidy(() => [tf.variable(tf.zeros([buckets])), tf.variable(tf.scalar(0))]);
  const optimizer = new AdamW({ learningRate: settings.learningRate, weightDecay: 0 });
  const batchesPerEpoch = Math.ceil(examples.length / settings.batchSize);
  const totalBatches = batchesPerEpoch * settings.epochs;
  try {
    for (let epoch = 0; epoch < settings.epochs; epoch += 1) {
      const order = Rng.fromSeed(settings.seed, 'ngram-sentiment', 'epoch', epoch).shuffle(examples.map((_, i) => i));
      for (let batch = 0; batch < batchesPerEpoch; batch += 1) {
        hooks.abortSignal?.throwIfAborted();
        const data = sparseBatch(examples, order.slice(batch * settings.batchSize, (batch + 1) * settings.batchSize), ratios);
        const loss = tf.tidy(() => {
          const { value, grads } = tf.variableGrads(() => {
            const contributions = tf.mul(tf.gather(weights, data.buckets), data.scales);
            const logits = tf.add(tf.unsortedSegmentSum(contributions, data.rows, data.size), bias);
            return tf.losses.sigmoidCrossEntropy(data.labels, logits) as tf.Scalar;
          }, [weights, bias]);
          optimizer.applyGradients([weights, bias], [grads[weights.name], grads[bias.name]]);
          return value;
        });
        const lossValue = (await loss.data())[0];
        tf.dispose([loss, data.buckets, data.scales, data.rows, data.labels]);
        hooks.onBatch?.(epoch * batchesPerEpoch + batch + 1, totalBatches, lossValue);
      }
    }
    const learned = (await weights.data()) as Float32Array;
    const effective = new Float32Array(buckets);
    for (let j = 0; j < buckets; j += 1) effective[j] = learned[j] * ratios[j];
    return { features: settings.features, weights: effective, bias: (await bias.data())[0] };
  } finally {
    optimizer.dispose();
    tf.dispose([weights, bias]);
  }
}
