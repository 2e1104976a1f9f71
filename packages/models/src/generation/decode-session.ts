import * as tf from '@tensorflow/tfjs-core';
import type { CausalLmNetwork } from '../architectures/causal-lm';
import type { DeviceDecoding } from './incremental-decoding';
import { KvCache } from '../nn/kv-cache';
import { attentionBias, positionsFromMask } from '../nn/masks';

export interface DecodeSessionOptions {
  /** Token that fills left padding (never attended to). */
  readonly padTokenId: number;
  /** Keep keys/values in a preallocated cache (default) or recompute the whole prefix per step. */
  readonly useCache?: boolean;
}

/**
 * Incremental decoding of a batch of left-padded prompts: `start()` runs the prompts, each
 * `step(tokens)` appends one token per row; both return the next-token logits [B·V] as host
 * memory, from one device read. Columns are shared by all rows (prompt columns, then one per
 * step); each row's positions count its own real tokens, as Hugging Face does for left padding.
 */
export class DecodeSession {
  readonly batch: number;
  readonly promptColumns: number;
  readonly capacity: number;
  private readonly keyValid: Uint8Array[];
  private readonly nextPosition: number[];
  private readonly columns: number[][];
  private cache?: KvCache;
  private length = 0;
  /** Decoding with tokens and logits on the device; only with the cache (the uncached path re-reads every token). */
  readonly onDevice?: DeviceDecoding;

  constructor(
    private readonly network: CausalLmNetwork,
    prompts: readonly (readonly number[])[],
    maxNewTokens: number,
    private readonly options: DecodeSessionOptions,
  ) {
    this.batch = prompts.length;
    this.promptColumns = Math.max(...prompts.map((prompt) => prompt.length));
    this.capacity = this.promptColumns + maxNewTokens;
    this.keyValid = prompts.map((prompt) => {
      const valid = new Uint8Array(this.capacity);
      valid.fill(1, this.promptColumns - prompt.length, this.promptColumns);
      return valid;
    });
    this.nextPosition = prompts.map((prompt) => prompt.length);
    this.columns = prompts.map((prompt) => [...new Array<number>(this.promptColumns - prompt.length).fill(options.padTokenId), ...prompt]);
    const { numLayers, numKvHeads, headDim } = network.config;
    if (options.useCache !== false) {
      this.cache = new KvCache(numLayers, this.batch, numKvHeads, this.capacity, headDim);
      this.onDevice = {
        start: () => this.promptLogits(),
        step: (tokens) => {
          const positions = this.nextPositions();
          return this.forward(tf.reshape(tokens, [this.batch, 1]), positions, this.appendColumn());
        },
      };
    }
  }

  /** Runs the prompts; returns the logits of each row's next token. */
  async start(): Promise<Float32Array> {
    return this.read(this.promptLogits());
  }

  /** Appends `tokens` (one per row) and returns the logits of the token after them. */
  async step(tokens: readonly number[]): Promise<Float32Array> {
    const positions = this.nextPositions();
    tokens.forEach((token, b) => this.columns[b].push(token));
    const column = this.appendColumn();
    if (this.cache === undefined) {
      const all = positionsFromMask(this.keyValid.map((valid) => valid.subarray(0, this.length))).map((row) => Array.from(row));
      return this.read(this.forward(tf.tensor2d(this.columns.flat(), [this.batch, this.length], 'int32'), all, 0));
    }
    return this.read(this.forward(tf.tensor2d(Array.from(tokens), [this.batch, 1], 'int32'), positions, column));
  }

  /** Row i continues old row `rows[i]` (beam search). */
  reorder(rows: readonly number[]): void {
    const keyValid = rows.map((row) => this.keyValid[row].slice());
    const nextPosition = rows.map((row) => this.nextPosition[row]);
    const columns = rows.map((row) => [...this.columns[row]]);
    keyValid.forEach((valid, i) => (this.keyValid[i] = valid));
    nextPosition.forEach((position, i) => (this.nextPosition[i] = position));
    columns.forEach((column, i) => (this.columns[i] = column));
    this.cache?.selectRows(rows);
  }

  dispose(): void {
    this.cache?.dispose();
  }

  /** The prompt pass: each row's next-token logits [B, V]. */
  private promptLogits(): tf.Tensor2D {
    this.length = this.promptColumns;
    const positions = this.keyValid.map((_, b) => {
      const padding = this.promptColumns - this.nextPosition[b];
      return Array.from({ length: this.promptColumns }, (_, j) => Math.max(0, j - padding));
    });
    return this.forward(tf.tensor2d(this.columns.flat(), [this.batch, this.promptColumns], 'int32'), positions, 0);
  }

  /** Each row's position for the column being appended (and advances them). */
  private nextPositions(): number[][] {
    return this.nextPosition.map((_, b) => [this.nextPosition[b]++]);
  }

  /** Marks the next column valid in every row; returns its index. */
  private appendColumn(): number {
    const column = this.length++;
    for (const valid of this.keyValid) valid[column] = 1;
    return column;
  }

  /** The last position's logits [B, V] for `ids` (disposed here) at columns from `start`. */
  private forward(ids: tf.Tensor2D, positions: readonly (readonly number[])[], start: number): tf.Tensor2D {
    const steps = ids.shape[1];
    const keyLength = this.cache === undefined ? this.length : this.capacity;
    const logits = tf.tidy(() => {
      const output = this.network.forward({
        ids,
        positions: tf.tensor2d(positions.flat(), [this.batch, steps], 'int32'),
        bias: tf.tensor4d(attentionBias(this.keyValid, start, steps, keyLength), [this.batch, 1, steps, keyLength]),
        cache: this.cache && { cache: this.cache, start },
        lastPositionOnly: true,
      });
      return tf.reshape(output.logits, [this.batch, -1]) as tf.Tensor2D;
    });
    ids.dispose();
    return logits;
  }

  private async read(logits: tf.Tensor2D): Promise<Float32Array> {
    const values = (await logits.data()) as Float32Array;
    logits.dispose();
    return values;
  }
}
