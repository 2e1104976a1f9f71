import * as tf from '@tensorflow/tfjs-core';
import { ModelFormatError } from '@rlgf/contracts';
import type { HostTensor, WeightMap } from '@rlgf/models';
import type { DistilBertConfig } from './distilbert-config';

interface Linear {
  /** [in, out]: PyTorch's [out, in] transposed once at load. */
  readonly weight: tf.Tensor2D;
  readonly bias: tf.Tensor1D;
}

interface Norm {
  readonly gamma: tf.Tensor1D;
  readonly beta: tf.Tensor1D;
}

interface Block {
  readonly query: Linear;
  readonly key: Linear;
  readonly value: Linear;
  readonly output: Linear;
  readonly attentionNorm: Norm;
  readonly expand: Linear;
  readonly contract: Linear;
  readonly outputNorm: Norm;
}

/** DistilBERT's LayerNorm epsilon (fixed in transformers' modeling_distilbert.py). */
const layerNormEpsilon = 1e-12;

function take(weights: WeightMap, name: string, shape: readonly number[], file: string): HostTensor {
  const tensor = weights.get(name);
  if (!tensor) {
    throw new ModelFormatError({ file, message: `has no tensor "${name}"`, hint: 'expected a DistilBertForSequenceClassification checkpoint (distilbert.*, pre_classifier.*, classifier.*)' });
  }
  if (tensor.shape.length !== shape.length || tensor.shape.some((dim, i) => dim !== shape[i])) {
    throw new ModelFormatError({ file, message: `tensor "${name}" has shape [${tensor.shape.join(', ')}], config.json implies [${shape.join(', ')}]`, hint: 'config.json and the weights disagree' });
  }
  return tensor;
}

function layerNorm(x: tf.Tensor, norm: Norm): tf.Tensor {
  const { mean, variance } = tf.moments(x, -1, true);
  return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, layerNormEpsilon))), norm.gamma), norm.beta);
}

/** Exact GELU, as transformers' `gelu`: x·Φ(x) with the error function. */
function gelu(x: tf.Tensor): tf.Tensor {
  return tf.mul(tf.mul(x, 0.5), tf.add(tf.erf(tf.div(x, Math.SQRT2)), 1));
}

/** `x @ W + b` over the last axis of a [..., in] tensor. */
function apply(x: tf.Tensor, linear: Linear): tf.Tensor {
  const [inputs, outputs] = linear.weight.shape;
  const flat = tf.reshape(x, [-1, inputs]);
  return tf.reshape(tf.add(tf.matMul(flat, linear.weight), linear.bias), [...x.shape.slice(0, -1), outputs]);
}

/**
 * The forward pass of transformers' `DistilBertForSequenceClassification` in TensorFlow.js
 * (inference only): word + position embeddings and LayerNorm; per block, multi-head
 * self-attention with padding masked, residual + LayerNorm, a GELU feed-forward, residual +
 * LayerNorm; then `pre_classifier` + ReLU + `classifier` on the first ([CLS]) position.
 */
export class DistilBertNetwork {
  private constructor(
    readonly config: DistilBertConfig,
    private readonly wordEmbeddings: tf.Tensor2D,
    private readonly positionEmbeddings: tf.Tensor2D,
    private readonly embeddingNorm: Norm,
    private readonly blocks: readonly Block[],
    private readonly preClassifier: Linear,
    private readonly classifier: Linear,
  ) {}

  /** Checks every tensor against the config, then uploads them. */
  static fromWeights(config: DistilBertConfig, weights: WeightMap, file: string): DistilBertNetwork {
    const { dim, hiddenDim } = config;
    const labels = config.labels.length;
    // Validate everything before the first upload, so a bad checkpoint leaves no tensors behind.
    const linearHost = (name: string, inputs: number, outputs: number) => ({ weight: take(weights, `${name}.weight`, [outputs, inputs], file), bias: take(weights, `${name}.bias`, [outputs], file) });
    const normHost = (name: string) => ({ gamma: take(weights, `${name}.weight`, [dim], file), beta: take(weights, `${name}.bias`, [dim], file) });
    const blockHost = Array.from({ length: config.layers }, (_, layer) => {
      const prefix = `distilbert.transformer.layer.${layer}`;
      return {
        query: linearHost(`${prefix}.attention.q_lin`, dim, dim),
        key: linearHost(`${prefix}.attention.k_lin`, dim, dim),
        value: linearHost(`${prefix}.attention.v_lin`, dim, dim),
        output: linearHost(`${prefix}.attention.out_lin`, dim, dim),
        attentionNorm: normHost(`${prefix}.sa_layer_norm`),
        expand: linearHost(`${prefix}.ffn.lin1`, dim, hiddenDim),
        contract: linearHost(`${prefix}.ffn.lin2`, hiddenDim, dim),
        outputNorm: normHost(`${prefix}.output_layer_norm`),
      };
    });
    const words = take(weights, 'distilbert.embeddings.word_embeddings.weight', [config.vocabSize, dim], file);
    const positions = take(weights, 'distilbert.embeddings.position_embeddings.weight', [config.maxPositions, dim], file);
    const embeddingNorm = normHost('distilbert.embeddings.LayerNorm');
    const preClassifier = linearHost('pre_classifier', dim, dim);
    const classifier = linearHost('classifier', dim, labels);

    const linear = (host: { weight: HostTensor; bias: HostTensor }): Linear => ({
      weight: tf.tidy(() => tf.transpose(tf.tensor2d(host.weight.data, host.weight.shape as [number, number]))),
      bias: tf.tensor1d(host.bias.data),
    });
    const norm = (host: { gamma: HostTensor; beta: HostTensor }): Norm => ({ gamma: tf.tensor1d(host.gamma.data), beta: tf.tensor1d(host.beta.data) });
    return new DistilBertNetwork(
      config,
      tf.tensor2d(words.data, [config.vocabSize, dim]),
      tf.tensor2d(positions.data, [config.maxPositions, dim]),
      norm(embeddingNorm),
      blockHost.map((block) => ({
        query: linear(block.query),
        key: linear(block.key),
        value: linear(block.value),
        output: linear(block.output),
        attentionNorm: norm(block.attentionNorm),
        expand: linear(block.expand),
        contract: linear(block.contract),
        outputNorm: norm(block.outputNorm),
      })),
      linear(preClassifier),
      linear(classifier),
    );
  }

  /**
   * Class logits [batch, labels] of right-padded input ids [batch, length]; `mask` is 1 on real
   * tokens and 0 on padding.
   */
  logits(ids: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const [batch, length] = ids.shape;
      const { dim, heads } = this.config;
      const headDim = dim / heads;
      const positions = tf.range(0, length, 1, 'int32');
      let hidden = layerNorm(tf.add(tf.gather(this.wordEmbeddings, ids), tf.gather(this.positionEmbeddings, positions)), this.embeddingNorm);
      // Padding keys get -1e9 before the softmax: their weights underflow to exactly 0, as with
      // transformers' masked_fill of the dtype's minimum.
      const keyBias = tf.reshape(tf.mul(tf.sub(1, tf.cast(mask, 'float32')), -1e9), [batch, 1, 1, length]);
      const splitHeads = (x: tf.Tensor) => tf.transpose(tf.reshape(x, [batch, length, heads, headDim]), [0, 2, 1, 3]);
      for (const block of this.blocks) {
        const query = tf.div(splitHeads(apply(hidden, block.query)), Math.sqrt(headDim));
        const key = splitHeads(apply(hidden, block.key));
        const value = splitHeads(apply(hidden, block.value));
        const weights = tf.softmax(tf.add(tf.matMul(query, key, false, true), keyBias));
        const context = tf.reshape(tf.transpose(tf.matMul(weights, value), [0, 2, 1, 3]), [batch, length, dim]);
        hidden = layerNorm(tf.add(apply(context, block.output), hidden), block.attentionNorm);
        const activated = this.config.activation === 'gelu' ? gelu(apply(hidden, block.expand)) : tf.relu(apply(hidden, block.expand));
        hidden = layerNorm(tf.add(apply(activated, block.contract), hidden), block.outputNorm);
      }
      const first = tf.reshape(tf.slice(hidden, [0, 0, 0], [batch, 1, dim]), [batch, dim]);
      return apply(tf.relu(apply(first, this.preClassifier)), this.classifier) as tf.Tensor2D;
    });
  }

  dispose(): void {
    const linears = [this.preClassifier, this.classifier, ...this.blocks.flatMap((b) => [b.query, b.key, b.value, b.output, b.expand, b.contract])];
    const norms = [this.embeddingNorm, ...this.blocks.flatMap((b) => [b.attentionNorm, b.outputNorm])];
    tf.dispose([this.wordEmbeddings, this.positionEmbeddings, ...linears.flatMap((l) => [l.weight, l.bias]), ...norms.flatMap((n) => [n.gamma, n.beta])]);
  }
}
