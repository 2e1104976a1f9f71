// SIMD kernels for the TensorFlow.js wasm backend, compiled to a wasm module that imports the
// backend's own memory: every pointer below is an offset into the tfjs heap, so kernels read and
// write tensors in place. No libc, no static data and no stack use (nothing is written outside
// the buffers passed in). Build: `node packages/models/src/backend/simd/build-kernels.mjs`.
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

// c + a·b on 4 lanes. The relaxed-SIMD build (for runtimes that have it: Node 22+, or Node 20 with
// --experimental-wasm-relaxed-simd) fuses it into one f32x4.relaxed_madd, which V8 compiles to an
// FMA where the CPU has one (one rounding instead of two: results differ from the plain build in
// the last bits, never between thread counts).
#ifdef RLGF_RELAXED_SIMD
#define MADD(a, b, c) wasm_f32x4_relaxed_madd(a, b, c)
#else
#define MADD(a, b, c) wasm_f32x4_add(c, wasm_f32x4_mul(a, b))
#endif

// Blocked GEMM in the usual three levels: column blocks of NC, depth blocks of KC, row blocks of
// MC; operands are packed into panels (4 rows of A, 8 columns of B, contiguous along the depth)
// so the 4 x 8 register tile (eight 4-lane accumulators) streams both from cache. Packing reads
// through strides, which is how transposed operands are handled.
#define KC 256
#define NC 512
#define MC 128

// Element (i, p) of a matrix is at base[i * rowStride + p * colStride].
typedef struct {
  const float *base;
  int rowStride, colStride;
} View;

// clang 19 (the relaxed-SIMD builds) passes a struct argument through the C stack, which this
// module does not have: there, functions taking a View are always inlined. clang 14 keeps them in
// registers; inlining everything would double the plain build for nothing.
#ifdef RLGF_RELAXED_SIMD
#define VIEW_FN static inline __attribute__((always_inline))
#else
#define VIEW_FN static
#endif

// Panels of 4 rows: panel r holds rows [4r, 4r + 4) for depths [0, depth), zero-padded past `rows`.
VIEW_FN void pack_rows(View a, int row0, int rows, int depth0, int depth, float *dst) {
  for (int r = 0; r < rows; r += 4) {
    for (int p = 0; p < depth; p++) {
      for (int q = 0; q < 4; q++) {
        int i = r + q;
        *dst++ = i < rows ? a.base[(row0 + i) * a.rowStride + (depth0 + p) * a.colStride] : 0.0f;
      }
    }
  }
}

// Panels of 8 columns of b (element (p, j)), zero-padded past `cols`.
VIEW_FN void pack_cols(View b, int depth0, int depth, int col0, int cols, float *dst) {
  for (int c = 0; c < cols; c += 8) {
    for (int p = 0; p < depth; p++) {
      const float *row = b.base + (depth0 + p) * b.rowStride;
      for (int q = 0; q < 8; q++) {
        int j = c + q;
        *dst++ = j < cols ? row[(col0 + j) * b.colStride] : 0.0f;
      }
    }
  }
}

static void store_lanes(float *dst, v128_t v, int count, int accumulate) {
  if (count == 4) {
    wasm_v128_store(dst, accumulate ? wasm_f32x4_add(wasm_v128_load(dst), v) : v);
    return;
  }
  // No local arrays: they would live on a stack, and this module owns no memory for one.
  float l0 = wasm_f32x4_extract_lane(v, 0), l1 = wasm_f32x4_extract_lane(v, 1), l2 = wasm_f32x4_extract_lane(v, 2);
  dst[0] = accumulate ? dst[0] + l0 : l0;
  if (count > 1) dst[1] = accumulate ? dst[1] + l1 : l1;
  if (count > 2) dst[2] = accumulate ? dst[2] + l2 : l2;
}

static void store_row(float *dst, v128_t lo, v128_t hi, int cols, int accumulate) {
  store_lanes(dst, lo, cols < 4 ? cols : 4, accumulate);
  if (cols > 4) store_lanes(dst + 4, hi, cols - 4, accumulate);
}

// c[0..rows, 0..cols] (+)= 4 rows of A · 8-column panel over `depth`. Row r of A starts at
// pa + r·rowStep and advances by depthStep (a packed panel: 1 and 4; rows read in place: the
// leading dimension and 1). Rows past `rows` must still be readable (they are computed, not stored).
static void tile(const float *pa, int rowStep, int depthStep, const float *pb, int depth, float *c, int ldc, int rows, int cols, int accumulate) {
  v128_t c00 = wasm_f32x4_splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  const float *a0 = pa, *a1 = pa + rowStep, *a2 = pa + 2 * rowStep, *a3 = pa + 3 * rowStep;
  for (int p = 0, q = 0; p < depth; p++, q += depthStep, pb += 8) {
    v128_t b0 = wasm_v128_load(pb), b1 = wasm_v128_load(pb + 4);
    v128_t x0 = wasm_v128_load32_splat(a0 + q), x1 = wasm_v128_load32_splat(a1 + q);
    v128_t x2 = wasm_v128_load32_splat(a2 + q), x3 = wasm_v128_load32_splat(a3 + q);
    c00 = MADD(x0, b0, c00);
    c01 = MADD(x0, b1, c01);
    c10 = MADD(x1, b0, c10);
    c11 = MADD(x1, b1, c11);
    c20 = MADD(x2, b0, c20);
    c21 = MADD(x2, b1, c21);
    c30 = MADD(x3, b0, c30);
    c31 = MADD(x3, b1, c31);
  }
  if (rows == 4 && cols == 8 && !accumulate) {
    wasm_v128_store(c, c00);
    wasm_v128_store(c + 4, c01);
    wasm_v128_store(c + ldc, c10);
    wasm_v128_store(c + ldc + 4, c11);
    wasm_v128_store(c + 2 * ldc, c20);
    wasm_v128_store(c + 2 * ldc + 4, c21);
    wasm_v128_store(c + 3 * ldc, c30);
    wasm_v128_store(c + 3 * ldc + 4, c31);
    return;
  }
  store_row(c, c00, c01, cols, accumulate);
  if (rows > 1) store_row(c + ldc, c10, c11, cols, accumulate);
  if (rows > 2) store_row(c + 2 * ldc, c20, c21, cols, accumulate);
  if (rows > 3) store_row(c + 3 * ldc, c30, c31, cols, accumulate);
}

// The same product for a few rows and an untransposed b, b read in place and in order: each row
// of c (in L1) gains a[i, p..p+3] · b[p..p+3, :] per pass (a decoding step multiplies 1-3 rows by
// each weight matrix; packing b would cost as much as the product, and walking b by columns
// touches a new page per row).
VIEW_FN void gemm_rows(View a, const float *b, float *c, int m, int k, int n, int accumulate) {
  for (int i = 0; i < m; i++) {
    const float *ar = a.base + i * a.rowStride;
    float *cr = c + i * n;
    if (!accumulate) for (int j = 0; j < n; j++) cr[j] = 0.0f;
    int p = 0;
    for (; p + 4 <= k; p += 4) {
      float s0 = ar[p * a.colStride], s1 = ar[(p + 1) * a.colStride], s2 = ar[(p + 2) * a.colStride], s3 = ar[(p + 3) * a.colStride];
      v128_t x0 = wasm_f32x4_splat(s0), x1 = wasm_f32x4_splat(s1), x2 = wasm_f32x4_splat(s2), x3 = wasm_f32x4_splat(s3);
      const float *b0 = b + p * n, *b1 = b0 + n, *b2 = b1 + n, *b3 = b2 + n;
      int j = 0;
      for (; j + 4 <= n; j += 4) {
        v128_t sum = wasm_f32x4_add(wasm_f32x4_mul(x0, wasm_v128_load(b0 + j)), wasm_f32x4_mul(x1, wasm_v128_load(b1 + j)));
        sum = wasm_f32x4_add(sum, wasm_f32x4_add(wasm_f32x4_mul(x2, wasm_v128_load(b2 + j)), wasm_f32x4_mul(x3, wasm_v128_load(b3 + j))));
        wasm_v128_store(cr + j, wasm_f32x4_add(wasm_v128_load(cr + j), sum));
      }
      for (; j < n; j++) cr[j] += s0 * b0[j] + s1 * b1[j] + s2 * b2[j] + s3 * b3[j];
    }
    for (; p < k; p++) {
      float s0 = ar[p * a.colStride];
      for (int j = 0; j < n; j++) cr[j] += s0 * b[p * n + j];
    }
  }
}

// c [m, n] (row-major, contiguous) = a · b, or += with `accumulate`, with a, b read through
// views; scratch holds MC·KC + KC·NC floats. `rowsPath` picks gemm_rows (for fewer than 4 rows
// of the whole product): each element's sums then run in the same order whichever rows of the
// product a call covers, so products split by rows over threads are bit-identical to one call.
VIEW_FN void gemm_path(View a, View b, float *c, int m, int k, int n, int accumulate, float *scratch, int rowsPath) {
  if (rowsPath) {
    gemm_rows(a, b.base, c, m, k, n, accumulate);
    return;
  }
  float *packedA = scratch, *packedB = scratch + MC * KC;
  for (int jc = 0; jc < n; jc += NC) {
    int nc = n - jc < NC ? n - jc : NC;
    for (int pc = 0; pc < k; pc += KC) {
      int kc = k - pc < KC ? k - pc : KC;
      pack_cols(b, pc, kc, jc, nc, packedB);
      for (int ic = 0; ic < m; ic += MC) {
        int mc = m - ic < MC ? m - ic : MC;
        // Rows of an untransposed A are read in place, except a last partial panel of 4 (its
        // missing rows would be read past the matrix); transposed rows are packed.
        int inPlace = a.colStride == 1 ? (mc / 4) * 4 : 0;
        if (inPlace < mc) pack_rows(a, ic + inPlace, mc - inPlace, pc, kc, packedA);
        for (int j = 0; j < nc; j += 8) {
          for (int i = 0; i < mc; i += 4) {
            int rows = mc - i < 4 ? mc - i : 4, cols = nc - j < 8 ? nc - j : 8;
            float *ct = c + (ic + i) * n + jc + j;
            if (i < inPlace) tile(a.base + (ic + i) * a.rowStride + pc, a.rowStride, 1, packedB + j * kc, kc, ct, n, rows, cols, accumulate || pc > 0);
            else tile(packedA + (i - inPlace) * kc, 1, 4, packedB + j * kc, kc, ct, n, rows, cols, accumulate || pc > 0);
          }
        }
      }
    }
    if (k == 0 && !accumulate) {
      for (int i = 0; i < m; i++) for (int j = 0; j < nc; j++) c[i * n + jc + j] = 0.0f;
    }
  }
}

VIEW_FN void gemm(View a, View b, float *c, int m, int k, int n, int accumulate, float *scratch) {
  gemm_path(a, b, c, m, k, n, accumulate, scratch, m < 4 && b.colStride == 1);
}

// Floats of scratch memory that batch_matmul needs.
EXPORT(batch_matmul_scratch)
int batch_matmul_scratch(void) { return MC * KC + KC * NC; }

// out[i] = a[i] · b[i] for i < max(batchA, batchB), with a [batchA, m, k] (or [batchA, k, m] when
// transA) and b [batchB, k, n] (or [batchB, n, k] when transB); a batch of 1 broadcasts.
EXPORT(batch_matmul)
void batch_matmul(const float *a, const float *b, float *out, int batchA, int batchB, int m, int k, int n, int transA, int transB, float *scratch) {
  int batch = batchA > batchB ? batchA : batchB;
  for (int i = 0; i < batch; i++) {
    View va = {a + (batchA == 1 ? 0 : i) * m * k, transA ? 1 : k, transA ? m : 1};
    View vb = {b + (batchB == 1 ? 0 : i) * k * n, transB ? 1 : n, transB ? k : 1};
    gemm(va, vb, out + i * m * n, m, k, n, 0, scratch);
  }
}

// Part `part` of `parts` of batch_matmul: the batch · m output rows, in order, cut into `parts`
// contiguous ranges (multiples of 4 rows where the tiled path runs). Every element is computed
// exactly as batch_matmul computes it, so the parts together equal one call bit for bit.
EXPORT(batch_matmul_part)
void batch_matmul_part(const float *a, const float *b, float *out, int batchA, int batchB, int m, int k, int n, int transA, int transB, float *scratch, int part, int parts) {
  int batch = batchA > batchB ? batchA : batchB;
  int rowsPath = m < 4 && !transB;
  int total = batch * m;
  int share = (total + parts - 1) / parts;
  if (!rowsPath) share = (share + 3) / 4 * 4;
  int first = part * share, last = first + share < total ? first + share : total;
  for (int row = first; row < last;) {
    int i = row / m, r0 = row % m, r1 = m < r0 + (last - row) ? m : r0 + (last - row);
    View va = {a + (batchA == 1 ? 0 : i) * m * k + r0 * (transA ? 1 : k), transA ? 1 : k, transA ? m : 1};
    View vb = {b + (batchB == 1 ? 0 : i) * k * n, transB ? 1 : n, transB ? k : 1};
    gemm_path(va, vb, out + i * m * n + r0 * n, r1 - r0, k, n, 0, scratch, rowsPath);
    row += r1 - r0;
  }
}

// ---------------------------------------------------------------- fused inference kernels

// e^x for float32, as Cephes' expf: x = n·ln2 + r with |r| <= ln2/2, a degree-6 polynomial for
// e^r, times 2^n built in the exponent bits. Relative error ~2e-7; flushes below -87.
static float exp_approx(float x) {
  if (x < -87.0f) return 0.0f;
  if (x > 88.0f) x = 88.0f;
  float n = __builtin_floorf(x * 1.44269504088896341f + 0.5f);
  float r = x - n * 0.693359375f + n * 2.12194440e-4f;
  float r2 = r * r;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r2 + r + 1.0f;
  union {
    int i;
    float f;
  } scale = {.i = ((int)n + 127) << 23};
  return p * scale.f;
}

static float dot(const float *a, const float *b, int n) {
  v128_t acc = wasm_f32x4_splat(0);
  int i = 0;
  for (; i + 4 <= n; i += 4) acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_v128_load(a + i), wasm_v128_load(b + i)));
  float sum = wasm_f32x4_extract_lane(acc, 0) + wasm_f32x4_extract_lane(acc, 1) + wasm_f32x4_extract_lane(acc, 2) + wasm_f32x4_extract_lane(acc, 3);
  for (; i < n; i++) sum += a[i] * b[i];
  return sum;
}

// out = x / sqrt(mean(x²) + eps) · weight, per row of x [rows, cols].
EXPORT(rms_norm)
void rms_norm(const float *x, const float *weight, float *out, int rows, int cols, float eps) {
  for (int r = 0; r < rows; r++) {
    const float *row = x + r * cols;
    float scale = 1.0f / __builtin_sqrtf(dot(row, row, cols) / cols + eps);
    for (int c = 0; c < cols; c++) out[r * cols + c] = row[c] * scale * weight[c];
  }
}

// out [rows, inner] = silu(gate) · up, with gateUp [rows, 2·inner] = [gate | up].
EXPORT(swiglu)
void swiglu(const float *gateUp, float *out, int rows, int inner) {
  for (int r = 0; r < rows; r++) {
    const float *gate = gateUp + r * 2 * inner, *up = gate + inner;
    for (int i = 0; i < inner; i++) out[r * inner + i] = gate[i] / (1.0f + exp_approx(-gate[i])) * up[i];
  }
}

// Rotary embedding in the rotate-half layout: dst = x·cos + rotate_half(x)·sin.
static void rotate(const float *x, const float *cos, const float *sin, float *dst, int headDim) {
  int half = headDim / 2;
  for (int i = 0; i < half; i++) {
    dst[i] = x[i] * cos[i] - x[i + half] * sin[i];
    dst[i + half] = x[i + half] * cos[i + half] + x[i] * sin[i + half];
  }
}

// Attention of `steps` new positions per row against a key/value cache, the new keys and values
// first written into it (in place). qkv [batch·steps, (heads + 2·kvHeads)·headDim] holds query,
// key and value heads side by side; keys/values [batch, kvHeads, capacity, headDim]; bias
// [batch, steps, capacity] (additive mask); cos/sin [positions, headDim] when rotary (else 0);
// out [batch·steps, heads·headDim]. Columns at or past start + steps are never attended (they
// are masked and empty), so they are skipped. scratch: capacity + headDim floats.
EXPORT(cached_attention)
void cached_attention(const float *qkv, const int *positions, const float *cos, const float *sin, float *keys, float *values, const float *bias, float *out,
                      int batch, int steps, int heads, int kvHeads, int headDim, int capacity, int start, float *scratch) {
  int width = (heads + 2 * kvHeads) * headDim, group = heads / kvHeads, end = start + steps;
  float scale = 1.0f / __builtin_sqrtf((float)headDim);
  float *scores = scratch, *query = scratch + capacity;
  for (int b = 0; b < batch; b++) {
    for (int t = 0; t < steps; t++) {
      const float *row = qkv + (b * steps + t) * width;
      int position = positions[b * steps + t];
      for (int g = 0; g < kvHeads; g++) {
        float *key = keys + ((b * kvHeads + g) * capacity + start + t) * headDim;
        float *value = values + ((b * kvHeads + g) * capacity + start + t) * headDim;
        const float *k = row + (heads + g) * headDim, *v = row + (heads + kvHeads + g) * headDim;
        if (cos) rotate(k, cos + position * headDim, sin + position * headDim, key, headDim);
        else for (int i = 0; i < headDim; i++) key[i] = k[i];
        for (int i = 0; i < headDim; i++) value[i] = v[i];
      }
    }
    for (int t = 0; t < steps; t++) {
      const float *row = qkv + (b * steps + t) * width;
      const float *mask = bias + (b * steps + t) * capacity;
      int position = positions[b * steps + t];
      for (int h = 0; h < heads; h++) {
        const float *q = row + h * headDim;
        if (cos) {
          rotate(q, cos + position * headDim, sin + position * headDim, query, headDim);
          q = query;
        }
        const float *k = keys + (b * kvHeads + h / group) * capacity * headDim;
        const float *v = values + (b * kvHeads + h / group) * capacity * headDim;
        float max = -3.0e38f;
        for (int j = 0; j < end; j++) {
          float s = dot(q, k + j * headDim, headDim) * scale + mask[j];
          scores[j] = s;
          if (s > max) max = s;
        }
        float total = 0.0f;
        for (int j = 0; j < end; j++) total += scores[j] = exp_approx(scores[j] - max);
        float inverse = 1.0f / total;
        float *o = out + (b * steps + t) * heads * headDim + h * headDim;
        int i = 0;
        for (; i + 4 <= headDim; i += 4) {
          v128_t acc = wasm_f32x4_splat(0);
          for (int j = 0; j < end; j++) acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_f32x4_splat(scores[j]), wasm_v128_load(v + j * headDim + i)));
          wasm_v128_store(o + i, wasm_f32x4_mul(acc, wasm_f32x4_splat(inverse)));
        }
        for (; i < headDim; i++) {
          float acc = 0.0f;
          for (int j = 0; j < end; j++) acc += scores[j] * v[j * headDim + i];
          o[i] = acc * inverse;
        }
      }
    }
  }
}

// c [m, n] (+)= a [m, k] · b [k, n], contiguous row-major.
static void matmul(const float *a, const float *b, float *c, int m, int k, int n, int accumulate, float *scratch) {
  View va = {a, k, 1}, vb = {b, n, 1};
  gemm(va, vb, c, m, k, n, accumulate, scratch);
}

// Floats of scratch memory that llama_layer needs for `rows` rows.
EXPORT(llama_layer_scratch)
int llama_layer_scratch(int rows, int hidden, int heads, int kvHeads, int headDim, int inner, int capacity) {
  return rows * (hidden + (heads + 2 * kvHeads) * headDim + heads * headDim + 3 * inner) + MC * KC + KC * NC + capacity + headDim;
}

// One Llama decoder layer on `rows` = batch·steps new positions, with a key/value cache (the
// composite of nn/ ops in one call): out = h + o(attention(rotary(qkv(norm1(h))))), then
// out += down(silu(gate) · up(norm2(out))). Weights are [in, out]; qkv and gateUp fused.
EXPORT(llama_layer)
void llama_layer(const float *hidden, const float *inputNorm, const float *wQkv, const float *wO, const float *postNorm, const float *wGateUp, const float *wDown,
                 const int *positions, const float *cos, const float *sin, float *keys, float *values, const float *bias, float *out,
                 int batch, int steps, int d, int heads, int kvHeads, int headDim, int inner, int capacity, int start, float eps, float *scratch) {
  int rows = batch * steps, width = (heads + 2 * kvHeads) * headDim;
  float *x = scratch, *qkv = x + rows * d, *attended = qkv + rows * width, *gateUp = attended + rows * heads * headDim;
  float *activation = gateUp + rows * 2 * inner, *gemmScratch = activation + rows * inner, *attentionScratch = gemmScratch + MC * KC + KC * NC;
  for (int i = 0; i < rows * d; i++) out[i] = hidden[i];
  rms_norm(out, inputNorm, x, rows, d, eps);
  matmul(x, wQkv, qkv, rows, d, width, 0, gemmScratch);
  cached_attention(qkv, positions, cos, sin, keys, values, bias, attended, batch, steps, heads, kvHeads, headDim, capacity, start, attentionScratch);
  matmul(attended, wO, out, rows, heads * headDim, d, 1, gemmScratch);
  rms_norm(out, postNorm, x, rows, d, eps);
  matmul(x, wGateUp, gateUp, rows, d, 2 * inner, 0, gemmScratch);
  swiglu(gateUp, activation, rows, inner);
  matmul(activation, wDown, out, rows, inner, d, 1, gemmScratch);
}

// Floats of scratch memory that llama_step needs for a batch (one new position per row).
EXPORT(llama_step_scratch)
int llama_step_scratch(int batch, int hidden, int heads, int kvHeads, int headDim, int inner, int capacity) {
  return 2 * batch * hidden + llama_layer_scratch(batch, hidden, heads, kvHeads, headDim, inner, capacity);
}

// Pointers per layer in llama_step's table: inputNorm, qkv, o, postNorm, gateUp, down, keys, values.
#define STEP_LAYER_POINTERS 8

// A whole decoding step of a Llama model in one call (one new token per row, a key/value cache):
// the embedding of `ids`, every llama_layer, the final norm into `normed` and the head product into
// `logits` [batch, vocab]. The same functions in the same order as the per-layer kernels and the
// head's batch_matmul, so the logits are bit-identical to that path; at small batch a step is
// bound by per-kernel overhead, which this removes. `embed` is [vocab, hidden], or 0 when the
// embedding is tied to `head` [hidden, vocab] (then row `id` is head's column `id`).
EXPORT(llama_step)
void llama_step(const int *ids, const float *embed, const float *head, const float *norm, const int *layerTable, int layers,
                const int *positions, const float *cos, const float *sin, const float *bias, float *normed, float *logits,
                int batch, int d, int heads, int kvHeads, int headDim, int inner, int capacity, int vocab, int start, float eps, float *scratch) {
  float *current = scratch, *next = current + batch * d, *layerScratch = next + batch * d;
  for (int row = 0; row < batch; row++) {
    int id = ids[row];
    for (int i = 0; i < d; i++) current[row * d + i] = embed ? embed[id * d + i] : head[i * vocab + id];
  }
  for (int layer = 0; layer < layers; layer++) {
    const int *p = layerTable + layer * STEP_LAYER_POINTERS;
    llama_layer(current, (const float *)p[0], (const float *)p[1], (const float *)p[2], (const float *)p[3], (const float *)p[4], (const float *)p[5], positions, cos, sin,
                (float *)p[6], (float *)p[7], bias, next, batch, 1, d, heads, kvHeads, headDim, inner, capacity, start, eps, layerScratch);
    float *swap = current;
    current = next;
    next = swap;
  }
  rms_norm(current, norm, normed, batch, d, eps);
  View vn = {normed, d, 1}, vh = {head, vocab, 1};
  gemm(vn, vh, logits, batch, d, vocab, 0, layerScratch);
}
