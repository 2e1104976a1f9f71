import { cachedAttentionRows, rmsNormRows, swiGluRows, type CachedAttentionShape } from './fused-math';

/** c [m, n] (+)= a [m, k] · b [k, n], row-major. */
function matmulRows(a: Float32Array, b: Float32Array, c: Float32Array, m: number, k: number, n: number, accumulate: boolean): void {
  for (let i = 0; i < m; i++) {
    if (!accumulate) c.fill(0, i * n, (i + 1) * n);
    for (let p = 0; p < k; p++) {
      const scale = a[i * k + p];
      for (let j = 0; j < n; j++) c[i * n + j] += scale * b[p * n + j];
    }
  }
}

/** The weights of one Llama layer as host arrays, [in, out] matrices (qkv and gateUp fused). */
export interface LlamaLayerWeights {
  readonly inputNorm: Float32Array;
  readonly qkv: Float32Array;
  readonly o: Float32Array;
  readonly postNorm: Float32Array;
  readonly gateUp: Float32Array;
  readonly down: Float32Array;
}

/**
 * One Llama decoder layer with a key/value cache, as simd/kernels.c's `llama_layer`:
 * out = h + o(attention(qkv(norm1(h)))); out += down(swiGlu(gateUp(norm2(out)))).
 */
export function llamaLayerRows(
  shape: CachedAttentionShape & { readonly hidden: number; readonly inner: number; readonly eps: number },
  hidden: Float32Array,
  weights: LlamaLayerWeights,
  attention: { positions: Int32Array; rotary: { cos: Float32Array; sin: Float32Array }; keys: Float32Array; values: Float32Array; bias: Float32Array },
  out: Float32Array,
): void {
  const { batch, steps, heads, kvHeads, headDim, hidden: d, inner, eps } = shape;
  const rows = batch * steps;
  const width = (heads + 2 * kvHeads) * headDim;
  out.set(hidden);
  const x = new Float32Array(rows * d);
  rmsNormRows(out, weights.inputNorm, x, rows, d, eps);
  const qkv = new Float32Array(rows * width);
  matmulRows(x, weights.qkv, qkv, rows, d, width, false);
  const attended = new Float32Array(rows * heads * headDim);
  cachedAttentionRows(shape, { ...attention, qkv, out: attended });
  matmulRows(attended, weights.o, out, rows, heads * headDim, d, true);
  rmsNormRows(out, weights.postNorm, x, rows, d, eps);
  const gateUp = new Float32Array(rows * 2 * inner);
  matmulRows(x, weights.gateUp, gateUp, rows, d, 2 * inner, false);
  const activation = new Float32Array(rows * inner);
  swiGluRows(gateUp, activation, rows, inner);
  matmulRows(activation, weights.down, out, rows, inner, d, true);
}
