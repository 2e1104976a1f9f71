import * as tf from '@tensorflow/tfjs-core';
import { writeCacheColumnsOnDevice } from '../backend/device-cache-write';
import { hostView } from '../backend/host-view';

/**
 * Keys and values of every layer for a batch, preallocated at full length ([B, kvHeads,
 * capacity, headDim] per layer) so decoding writes one column per step instead of growing
 * tensors. On wasm and cpu the write goes straight into the buffer's memory, on webgpu into its
 * GPU buffer (one small copy per row and head, queued on the device); on other backends (or with
 * `writeInPlace: false`) the buffer is rebuilt at the same size.
 */
export class KvCache {
  private readonly keys: tf.Tensor4D[] = [];
  private readonly values: tf.Tensor4D[] = [];
  private disposed = false;

  constructor(
    readonly layers: number,
    readonly batch: number,
    readonly kvHeads: number,
    readonly capacity: number,
    readonly headDim: number,
    private readonly options: { readonly writeInPlace?: boolean } = {},
  ) {
    for (let layer = 0; layer < layers; layer++) {
      this.keys.push(tf.zeros([batch, kvHeads, capacity, headDim]));
      this.values.push(tf.zeros([batch, kvHeads, capacity, headDim]));
    }
  }

  key(layer: number): tf.Tensor4D {
    return this.keys[layer];
  }

  value(layer: number): tf.Tensor4D {
    return this.values[layer];
  }

  /**
   * True when writes go straight into the buffers' memory (wasm, cpu), so that a fused kernel may
   * write them too; false where buffers are rebuilt on each write.
   */
  writesInPlace(): boolean {
    return !this.disposed && this.options.writeInPlace !== false && hostView(this.keys[0]) !== undefined;
  }

  /** Stores `key`/`value` [B, s, kvHeads, headDim] at columns [start, start + s) of `layer`. */
  write(layer: number, key: tf.Tensor4D, value: tf.Tensor4D, start: number): void {
    this.keys[layer] = this.writeOne(this.keys[layer], key, start);
    this.values[layer] = this.writeOne(this.values[layer], value, start);
  }

  /** Reorders the batch rows (beam search): row i becomes old row `rows[i]`. */
  selectRows(rows: readonly number[]): void {
    const index = tf.tensor1d(Array.from(rows), 'int32');
    for (let layer = 0; layer < this.layers; layer++) {
      const [oldKey, oldValue] = [this.keys[layer], this.values[layer]];
      this.keys[layer] = tf.keep(tf.gather(oldKey, index));
      this.values[layer] = tf.keep(tf.gather(oldValue, index));
      oldKey.dispose();
      oldValue.dispose();
    }
    index.dispose();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const tensor of [...this.keys, ...this.values]) tensor.dispose();
  }

  private writeOne(buffer: tf.Tensor4D, update: tf.Tensor4D, start: number): tf.Tensor4D {
    const steps = update.shape[1];
    const target = this.options.writeInPlace === false ? undefined : hostView(buffer);
    const source = target === undefined ? undefined : hostView(update);
    if (target !== undefined && source !== undefined) {
      copyColumns(target, source, this.batch, this.kvHeads, this.capacity, this.headDim, steps, start);
      return buffer;
    }
    if (this.options.writeInPlace !== false && writeCacheColumnsOnDevice(buffer, update, start)) return buffer;
    const rebuilt = tf.tidy(() => {
      const columns = tf.transpose(update, [0, 2, 1, 3]);
      const parts: tf.Tensor4D[] = [];
      if (start > 0) parts.push(tf.slice(buffer, [0, 0, 0, 0], [-1, -1, start, -1]));
      parts.push(columns);
      if (start + steps < this.capacity) parts.push(tf.slice(buffer, [0, 0, start + steps, 0], [-1, -1, -1, -1]));
      return tf.concat(parts, 2);
    });
    buffer.dispose();
    // Writes happen inside the forward pass's tidy; the new buffer must outlive it.
    return tf.keep(rebuilt);
  }
}

/** Copies `source` [B, s, H, D] into `target` [B, H, capacity, D] at columns [start, start + s). */
function copyColumns(
  target: Float32Array,
  source: Float32Array,
  batch: number,
  heads: number,
  capacity: number,
  headDim: number,
  steps: number,
  start: number,
): void {
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < steps; t++) {
      for (let h = 0; h < heads; h++) {
        const from = ((b * steps + t) * heads + h) * headDim;
        const to = ((b * heads + h) * capacity + start + t) * headDim;
        target.set(source.subarray(from, from + headDim), to);
      }
    }
  }
}
