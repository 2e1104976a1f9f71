// SIMD kernels for the TensorFlow.js wasm backend, compiled to a wasm module that imports the
// backend's own memory: every pointer below is an offset into the tfjs heap, so kernels read and
// write tensors in place. No libc, no static data and no stack use (nothing is written outside
// the buffers passed in). Build: `node packages/models/src/backend/simd/build-kernels.mjs`.
#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

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

// Panels of 4 rows: panel r holds rows [4r, 4r + 4) for depths [0, depth), zero-padded past `rows`.
static void pack_rows(View a, int row0, int rows, int depth0, int depth, float *dst) {
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
static void pack_cols(View b, int depth0, int depth, int col0, int cols, float *dst) {
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
    c00 = wasm_f32x4_add(c00, wasm_f32x4_mul(x0, b0));
    c01 = wasm_f32x4_add(c01, wasm_f32x4_mul(x0, b1));
    c10 = wasm_f32x4_add(c10, wasm_f32x4_mul(x1, b0));
    c11 = wasm_f32x4_add(c11, wasm_f32x4_mul(x1, b1));
    c20 = wasm_f32x4_add(c20, wasm_f32x4_mul(x2, b0));
    c21 = wasm_f32x4_add(c21, wasm_f32x4_mul(x2, b1));
    c30 = wasm_f32x4_add(c30, wasm_f32x4_mul(x3, b0));
    c31 = wasm_f32x4_add(c31, wasm_f32x4_mul(x3, b1));
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

// c [m, n] (row-major, contiguous) = a · b with a, b read through views; scratch holds
// MC·KC + KC·NC floats.
static void gemm(View a, View b, float *c, int m, int k, int n, float *scratch) {
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
            if (i < inPlace) tile(a.base + (ic + i) * a.rowStride + pc, a.rowStride, 1, packedB + j * kc, kc, ct, n, rows, cols, pc > 0);
            else tile(packedA + (i - inPlace) * kc, 1, 4, packedB + j * kc, kc, ct, n, rows, cols, pc > 0);
          }
        }
      }
    }
    if (k == 0) {
      for (int i = 0; i < m; i++) for (int j = 0; j < nc; j++) c[i * n + jc + j] = 0.0f;
    }
  }
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
    gemm(va, vb, out + i * m * n, m, k, n, scratch);
  }
}
