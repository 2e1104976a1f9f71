/**
 * The fused inference kernels in plain TypeScript, on host arrays: the cpu backend's kernels
 * (the wasm backend runs the same arithmetic from simd/kernels.c). Each mirrors a composite of
 * tfjs ops (see nn/fused-ops.ts) and is tested against it.
 */

/** out = x / sqrt(mean(x²) + eps) · weight, per row of x [rows, cols]. */
export function rmsNormRows(x: Float32Array, weight: Float32Array, out: Float32Array, rows: number, cols: number, eps: number): void {
  for (let r = 0; r < rows; r++) {
    let squares = 0;
    for (let c = 0; c < cols; c++) squares += x[r * cols + c] * x[r * cols + c];
    const scale = 1 / Math.sqrt(squares / cols + eps);
    for (let c = 0; c < cols; c++) out[r * cols + c] = x[r * cols + c] * scale * weight[c];
  }
}

/** out [rows, inner] = silu(gate) · up, with gateUp [rows, 2·inner] = [gate | up]. */
export function swiGluRows(gateUp: Float32Array, out: Float32Array, rows: number, inner: number): void {
  for (let r = 0; r < rows; r++) {
    const base = r * 2 * inner;
    for (let i = 0; i < inner; i++) {
      const gate = gateUp[base + i];
      out[r * inner + i] = (gate / (1 + Math.exp(-gate))) * gateUp[base + inner + i];
    }
  }
}

/** Shapes and places of one cached attention call (see `cachedAttentionRows`). */
export interface CachedAttentionShape {
  readonly batch: number;
  readonly steps: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly headDim: number;
  readonly capacity: number;
  /** Cache column of the first new position. */
  readonly start: number;
}

export interface CachedAttentionArrays {
  /** [batch·steps, (heads + 2·kvHeads)·headDim]: query, key and value heads side by side. */
  readonly qkv: Float32Array;
  /** Rotary position of each new token, [batch·steps]. */
  readonly positions: Int32Array;
  /** Rotary tables [positions, headDim] (rotate-half layout), absent without rotary embeddings. */
  readonly rotary?: { readonly cos: Float32Array; readonly sin: Float32Array };
  /** Caches [batch, kvHeads, capacity, headDim], written in place. */
  readonly keys: Float32Array;
  readonly values: Float32Array;
  /** Additive mask [batch, steps, capacity]. */
  readonly bias: Float32Array;
  /** [batch·steps, heads·headDim]. */
  readonly out: Float32Array;
}

function rotate(x: Float32Array, from: number, cos: Float32Array, sin: Float32Array, row: number, dst: Float32Array, to: number, headDim: number): void {
  const half = headDim / 2;
  for (let i = 0; i < half; i++) {
    dst[to + i] = x[from + i] * cos[row + i] - x[from + i + half] * sin[row + i];
    dst[to + i + half] = x[from + i + half] * cos[row + i + half] + x[from + i] * sin[row + i + half];
  }
}

/**
 * Writes the new keys (rotated) and values into the cache, then attends each new query (rotated)
 * to cache columns [0, start + steps) with the additive mask; grouped-query heads share kv head
 * h / (heads / kvHeads). Columns past start + steps are masked and empty, so they are skipped;
 * a query with every column masked (a padding position, whose output nothing reads) therefore
 * averages the values of [0, start + steps) rather than of the whole capacity.
 */
export function cachedAttentionRows(shape: CachedAttentionShape, arrays: CachedAttentionArrays): void {
  const { batch, steps, heads, kvHeads, headDim, capacity, start } = shape;
  const { qkv, positions, rotary, keys, values, bias, out } = arrays;
  const width = (heads + 2 * kvHeads) * headDim;
  const group = heads / kvHeads;
  const end = start + steps;
  const scale = 1 / Math.sqrt(headDim);
  const scores = new Float32Array(end);
  const query = new Float32Array(headDim);
  for (let b = 0; b < batch; b++) {
    for (let t = 0; t < steps; t++) {
      const row = (b * steps + t) * width;
      const angle = positions[b * steps + t] * headDim;
      for (let g = 0; g < kvHeads; g++) {
        const slot = ((b * kvHeads + g) * capacity + start + t) * headDim;
        const key = row + (heads + g) * headDim;
        if (rotary) rotate(qkv, key, rotary.cos, rotary.sin, angle, keys, slot, headDim);
        else keys.set(qkv.subarray(key, key + headDim), slot);
        const value = row + (heads + kvHeads + g) * headDim;
        values.set(qkv.subarray(value, value + headDim), slot);
      }
    }
    for (let t = 0; t < steps; t++) {
      const row = (b * steps + t) * width;
      const mask = (b * steps + t) * capacity;
      const angle = positions[b * steps + t] * headDim;
      for (let h = 0; h < heads; h++) {
        if (rotary) rotate(qkv, row + h * headDim, rotary.cos, rotary.sin, angle, query, 0, headDim);
        else query.set(qkv.subarray(row + h * headDim, row + (h + 1) * headDim));
        const cacheBase = (b * kvHeads + Math.floor(h / group)) * capacity * headDim;
        let max = -Infinity;
        for (let j = 0; j < end; j++) {
          let dot = 0;
          for (let i = 0; i < headDim; i++) dot += query[i] * keys[cacheBase + j * headDim + i];
          scores[j] = dot * scale + bias[mask + j];
          if (scores[j] > max) max = scores[j];
        }
        let total = 0;
        for (let j = 0; j < end; j++) total += scores[j] = Math.exp(scores[j] - max);
        const target = (b * steps + t) * heads * headDim + h * headDim;
        for (let i = 0; i < headDim; i++) {
          let sum = 0;
          for (let j = 0; j < end; j++) sum += scores[j] * values[cacheBase + j * headDim + i];
          out[target + i] = sum / total;
        }
      }
    }
  }
}
