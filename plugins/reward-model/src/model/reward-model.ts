import * as tf from '@tensorflow/tfjs-core';
import { leadingSpecialIds, Rng } from '@rlgf/core';
import type { TokenizerV1 } from '@rlgf/contracts';
import {
  createArchitectureRegistry,
  sequenceInputs,
  writeCheckpoint,
  type ArchitectureRegistry,
  type CausalLmNetwork,
  type HostTensor,
  type JsonObject,
  type TokenizerFiles,
  type WeightMap,
} from '@rlgf/models';
import { classifierConfig, scoreWeightName } from './classifier-config';
import { keepEnd, leftPad, lengthBatches, type LeftPadded } from './reward-inputs';

/** A fresh head: normal with a small standard deviation (transformers: `initializer_range`), seeded. */
export interface FreshHead {
  readonly kind: 'normal';
  readonly std: number;
  readonly seed: number;
}

export interface RewardModelParts {
  /** The trunk's `config.json` (a causal LM's or a sequence classifier's). */
  readonly config: JsonObject;
  /** Trunk weights under Hugging Face names; `score.*` and `lm_head.*` are not read. */
  readonly weights: WeightMap;
  readonly tokenizer: TokenizerV1;
  readonly tokenizerFiles: TokenizerFiles;
  /** `score.weight` [1, hidden] of a trained model, or how to start a fresh one. */
  readonly head: HostTensor | FreshHead;
  readonly trainable: boolean;
  /** Longest input in tokens (default: the trunk's positions); longer texts keep their end. */
  readonly maxTokens?: number;
  readonly registry?: ArchitectureRegistry;
}

function normalSamples(count: number, std: number, seed: number): Float32Array {
  const rng = Rng.fromSeed(seed, 'reward-model', 'head');
  return Float32Array.from({ length: count }, () => std * Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat()));
}

/**
 * A reward model as transformers' `*ForSequenceClassification` with one label: a decoder trunk
 * and a bias-free linear head read at the last token of prompt + summary. Inputs are left-padded,
 * so the last column holds every row's last token.
 */
export class RewardModel {
  readonly tokenizer: TokenizerV1;
  readonly maxTokens: number;
  readonly padTokenId: number;
  readonly hiddenSize: number;
  private readonly network: CausalLmNetwork;
  /** [hidden, 1]: the product's layout; saved as PyTorch's [1, hidden]. */
  private readonly head: tf.Variable;
  private readonly leading: readonly number[];
  private readonly trunkConfig: JsonObject;
  private readonly tokenizerFiles: TokenizerFiles;

  constructor(parts: RewardModelParts) {
    const registry = parts.registry ?? createArchitectureRegistry();
    // The head reads hidden states only: build the trunk with tied embeddings, so no LM-head
    // matrix is needed (sequence classifiers store none) or trained.
    const buildConfig = { ...parts.config, tie_word_embeddings: true };
    const architecture = registry.resolve(buildConfig);
    const weights = new Map([...parts.weights].filter(([name]) => !name.startsWith('score.') && !name.startsWith('lm_head.')));
    this.network = architecture.build(architecture.parseConfig(buildConfig), weights, { trainable: parts.trainable });
    const { hiddenSize, maxPositions, padTokenId, eosTokenIds } = this.network.config;
    this.hiddenSize = hiddenSize;
    this.tokenizer = parts.tokenizer;
    this.tokenizerFiles = parts.tokenizerFiles;
    this.trunkConfig = parts.config;
    this.maxTokens = Math.min(parts.maxTokens ?? maxPositions, maxPositions);
    this.padTokenId = parts.tokenizer.padTokenId ?? padTokenId ?? parts.tokenizer.eosTokenId ?? eosTokenIds[0] ?? 0;
    this.leading = leadingSpecialIds(parts.tokenizer);
    const head = 'kind' in parts.head ? normalSamples(hiddenSize, parts.head.std, parts.head.seed) : parts.head.data;
    this.head = tf.tidy(() => tf.variable(tf.tensor2d(head, [hiddenSize, 1]), parts.trainable));
  }

  /** Trunk and head variables, in a stable order. */
  get variables(): tf.Variable[] {
    return [...this.network.variables, this.head];
  }

  /** Token ids the model reads for `text` (BOS first for Llama), cut to `maxTokens` from the left. */
  encode(text: string): number[] {
    return keepEnd(this.tokenizer.encode(text), this.leading, this.maxTokens);
  }

  /** Rewards [B] of left-padded rows; differentiable (use inside `tf.variableGrads` or `tf.tidy`). */
  rewards(rows: LeftPadded): tf.Tensor1D {
    const inputs = sequenceInputs(rows.ids, rows.mask);
    const { hidden } = this.network.forward({ ...inputs, lastPositionOnly: true });
    const [batch, steps] = hidden.shape;
    const last = tf.reshape(tf.slice(hidden, [0, steps - 1, 0], [batch, 1, this.hiddenSize]), [batch, this.hiddenSize]);
    return tf.reshape(tf.matMul(last, this.head), [batch]);
  }

  /** Left-padded rows of token ids. */
  pad(rows: readonly (readonly number[])[]): LeftPadded {
    return leftPad(rows, this.padTokenId);
  }

  /** Rewards of texts (prompt + summary each), in batches of similar length. */
  async score(texts: readonly string[], options: { readonly batchSize: number; readonly abortSignal?: AbortSignal }): Promise<number[]> {
    const ids = texts.map((text) => this.encode(text));
    const scores = new Array<number>(texts.length);
    for (const batch of lengthBatches(ids, options.batchSize)) {
      options.abortSignal?.throwIfAborted();
      const rewards = tf.tidy(() => this.rewards(this.pad(batch.map((i) => ids[i]))));
      const values = await rewards.data();
      rewards.dispose();
      batch.forEach((row, i) => (scores[row] = values[i]));
    }
    return scores;
  }

  /**
   * Weights under transformers' sequence-classification names: trunk + `score.weight` [1, hidden],
   * all read concurrently and asynchronously (webgpu has no synchronous read).
   */
  async getWeights(): Promise<Map<string, HostTensor>> {
    const [trunk, head] = await Promise.all([this.network.toWeightMap(), this.head.data()]);
    const weights = new Map(trunk);
    weights.set(scoreWeightName, { shape: [1, this.hiddenSize], data: new Float32Array(head) });
    return weights;
  }

  /**
   * Writes a checkpoint transformers loads as `AutoModelForSequenceClassification` (and this
   * plugin reads back). The tokenizer config records how inputs were cut (`model_max_length`,
   * `truncation_side: "left"`), so both score texts as this model was trained on them.
   */
  async save(dir: string): Promise<void> {
    const tokenizerConfig = { ...this.tokenizerFiles.tokenizerConfig, model_max_length: this.maxTokens, truncation_side: 'left' };
    await writeCheckpoint(dir, {
      config: classifierConfig(this.trunkConfig, this.padTokenId),
      weights: await this.getWeights(),
      tokenizerFiles: { ...this.tokenizerFiles, tokenizerConfig },
    });
  }

  dispose(): void {
    this.network.dispose();
    this.head.dispose();
  }
}
