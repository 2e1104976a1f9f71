import * as tf from '@tensorflow/tfjs-core';
import type { DecodeSessionOptions } from '../generation/decode-session';
import type { IncrementalDecoding } from '../generation/incremental-decoding';
import { KvCache } from '../nn/kv-cache';
import type { CrossAttentionMemory, Seq2SeqNetwork } from './seq2seq-network';

/**
 * Incremental decoding of an encoder-decoder: the prompts are encoded once (right-padded, with
 * their mask) into every decoder layer's cross-attention keys and values; the decoder starts at
 * the decoder start token and appends one token per row per step, its self-attention keys and
 * values in a preallocated cache (or recomputed for the whole prefix with `useCache: false`).
 * Logits come back as host memory from one device read per step.
 */
export class Seq2SeqDecodeSession implements IncrementalDecoding {
  private memory: CrossAttentionMemory;
  private readonly cache?: KvCache;
  private inputs: number[][];

  constructor(
    private readonly network: Seq2SeqNetwork,
    prompts: readonly (readonly number[])[],
    maxNewTokens: number,
    options: DecodeSessionOptions,
  ) {
    const batch = prompts.length;
    const width = Math.max(...prompts.map((prompt) => prompt.length));
    const ids = prompts.flatMap((prompt) => [...prompt, ...new Array<number>(width - prompt.length).fill(options.padTokenId)]);
    const mask = prompts.flatMap((prompt) => Array.from({ length: width }, (_, j) => (j < prompt.length ? 1 : 0)));
    this.memory = tf.tidy(() => {
      const maskTensor = tf.tensor2d(mask, [batch, width]);
      const memory = network.crossAttentionMemory(network.encode(tf.tensor2d(ids, [batch, width], 'int32'), maskTensor), maskTensor);
      return { keys: [...memory.keys], values: [...memory.values], bias: memory.bias };
    });
    const { numDecoderLayers, numHeads, headDim } = network.config;
    // Decoder inputs occupy positions 0 .. maxNewTokens - 1: the start token, then every generated token but the last.
    if (options.useCache !== false) this.cache = new KvCache(numDecoderLayers, batch, numHeads, maxNewTokens, headDim);
    this.inputs = prompts.map(() => []);
  }

  async start(): Promise<Float32Array> {
    return this.append(this.inputs.map(() => this.network.config.decoderStartTokenId));
  }

  async step(tokens: readonly number[]): Promise<Float32Array> {
    return this.append(tokens);
  }

  reorder(rows: readonly number[]): void {
    this.cache?.selectRows(rows);
    const previous = this.memory;
    this.memory = tf.tidy(() => {
      const index = tf.tensor1d(Array.from(rows), 'int32');
      return {
        keys: previous.keys.map((keys) => tf.gather(keys, index)),
        values: previous.values.map((values) => tf.gather(values, index)),
        bias: tf.gather(previous.bias, index),
      };
    });
    disposeMemory(previous);
    this.inputs = rows.map((row) => [...this.inputs[row]]);
  }

  dispose(): void {
    this.cache?.dispose();
    disposeMemory(this.memory);
  }

  private async append(tokens: readonly number[]): Promise<Float32Array> {
    tokens.forEach((token, row) => this.inputs[row].push(token));
    const length = this.inputs[0].length;
    const cached = this.cache !== undefined;
    const ids = cached ? tokens.map((token) => [token]) : this.inputs;
    const logits = tf.tidy(
      () =>
        this.network.decode({
          ids: tf.tensor2d(ids.flat(), [ids.length, ids[0].length], 'int32'),
          start: cached ? length - 1 : 0,
          memory: this.memory,
          cache: this.cache,
          lastPositionOnly: true,
        }).logits,
    );
    const values = (await logits.data()) as Float32Array;
    logits.dispose();
    return values;
  }
}

function disposeMemory(memory: CrossAttentionMemory): void {
  tf.dispose([...memory.keys, ...memory.values, memory.bias]);
}
