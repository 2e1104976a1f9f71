import * as tf from '@tensorflow/tfjs-core';
import type { HubFilesV1 } from '@rlgf/contracts';
import { readCheckpoint } from '@rlgf/models';
import type { SentimentClassifier } from '../classifier/sentiment-classifier';
import { ClassifierTokenizer } from './classifier-tokenizer';
import { parseDistilBertConfig, positiveLabelIndex } from './distilbert-config';
import { DistilBertNetwork } from './distilbert-network';

export interface DistilBertClassifierOptions {
  readonly hub?: HubFilesV1;
  /** The positive class, as an index or a label name (default: the label named positive, else 1). */
  readonly label?: number | string;
  /** Texts per forward pass. */
  readonly batchSize: number;
  readonly abortSignal?: AbortSignal;
}

/** Right-pads id lists with 0 (DistilBERT's [PAD]) into ids and mask tensors. */
function padded(batch: readonly number[][]): { ids: tf.Tensor2D; mask: tf.Tensor2D } {
  const length = Math.max(...batch.map((ids) => ids.length));
  const ids = new Int32Array(batch.length * length);
  const mask = new Int32Array(batch.length * length);
  batch.forEach((row, r) => {
    ids.set(row, r * length);
    mask.fill(1, r * length, r * length + row.length);
  });
  return { ids: tf.tensor2d(ids, [batch.length, length], 'int32'), mask: tf.tensor2d(mask, [batch.length, length], 'int32') };
}

/**
 * A Hugging Face `DistilBertForSequenceClassification` checkpoint (e.g. `lvwerra/distilbert-imdb`,
 * the authors' IMDB reward) from a directory or the Hub: `config.json`, safetensors weights and
 * `tokenizer.json`. P(positive) is the softmax of the logits at the positive class.
 */
export async function loadDistilBertClassifier(source: string, options: DistilBertClassifierOptions): Promise<SentimentClassifier> {
  const checkpoint = await readCheckpoint(source, { hub: options.hub, abortSignal: options.abortSignal });
  const configFile = `${checkpoint.files.source}/config.json`;
  const config = parseDistilBertConfig(checkpoint.config, configFile);
  const positive = positiveLabelIndex(config.labels, options.label);
  const tokenizer = new ClassifierTokenizer(checkpoint.tokenizerFiles, config.maxPositions, checkpoint.files.source);
  const network = DistilBertNetwork.fromWeights(config, checkpoint.weights, checkpoint.files.weights.join(', '));
  return {
    kind: 'distilbert',
    description: `DistilBertForSequenceClassification ${checkpoint.files.source}, P(${config.labels[positive]})`,
    async positiveProbabilities(texts, abortSignal) {
      const encoded = texts.map((text) => tokenizer.encode(text));
      // Similar lengths share a batch, so little is spent on padding.
      const order = encoded.map((_, i) => i).sort((a, b) => encoded[a].length - encoded[b].length);
      const probabilities = new Array<number>(texts.length);
      for (let start = 0; start < order.length; start += options.batchSize) {
        abortSignal?.throwIfAborted();
        const picked = order.slice(start, start + options.batchSize);
        const { ids, mask } = padded(picked.map((i) => encoded[i]));
        const positiveColumn = tf.tidy(() => tf.slice(tf.softmax(network.logits(ids, mask)), [0, positive], [picked.length, 1]));
        const values = await positiveColumn.data();
        tf.dispose([ids, mask, positiveColumn]);
        picked.forEach((index, row) => (probabilities[index] = values[row]));
      }
      return probabilities;
    },
    dispose: () => network.dispose(),
  };
}
