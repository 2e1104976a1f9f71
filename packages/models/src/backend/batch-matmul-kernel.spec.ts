import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@rlgf/core';
import { productShape, simdBatchMatMulActive, unregisterSimdBatchMatMul } from './batch-matmul-kernel';
import { setBackend } from './set-backend';

const rng = Rng.fromSeed(7, 'batch-matmul');
const random = (shape: number[]) => Float32Array.from({ length: tf.util.sizeFromShape(shape) }, () => rng.nextFloat() * 2 - 1);

interface Case {
  readonly a: number[];
  readonly b: number[];
  readonly transposeA: boolean;
  readonly transposeB: boolean;
}

// Odd sizes reach every edge of the 4 x 8 register tile; broadcasting on either side.
const cases: Case[] = [];
for (const [m, k, n] of [[1, 1, 1], [3, 5, 7], [4, 8, 8], [9, 17, 13], [13, 2, 33], [2, 40, 1]]) {
  for (const transposeA of [false, true]) {
    for (const transposeB of [false, true]) {
      const a = transposeA ? [k, m] : [m, k];
      const b = transposeB ? [n, k] : [k, n];
      cases.push({ a, b, transposeA, transposeB });
      cases.push({ a: [2, 3, ...a], b: [2, 3, ...b], transposeA, transposeB });
      cases.push({ a: [3, ...a], b, transposeA, transposeB });
      cases.push({ a, b: [1, 3, ...b], transposeA, transposeB });
    }
  }
}

/**
 * Products, and their gradients with respect to both operands where tfjs has them (its
 * BatchMatMul gradient does not broadcast), as host arrays.
 */
function productAndGradients(c: Case, a: tf.Tensor, b: tf.Tensor, weights: tf.Tensor) {
  return tf.tidy(() => {
    const product = tf.matMul(a, b, c.transposeA, c.transposeB);
    const results = [product];
    if (c.a.length === c.b.length) {
      const f = (x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, c.transposeA, c.transposeB), weights));
      results.push(...tf.grads(f)([a, b]));
    }
    return results.map((t) => ({ shape: t.shape, values: Array.from(t.dataSync()) }));
  });
}

const maxDifference = (x: number[], y: number[]) => x.reduce((max, value, i) => Math.max(max, Math.abs(value - y[i])), 0);

describe('SIMD BatchMatMul on wasm', () => {
  afterAll(async () => setBackend('wasm'));

  it('matches the cpu kernel and the backend own wasm kernel, values and gradients, on odd and broadcast shapes', async () => {
    const inputs = cases.map((c) => {
      const shape = productShape(c.a, c.b, c.transposeA, c.transposeB);
      if (shape === undefined) throw new Error(`bad case ${JSON.stringify(c)}`);
      return { a: random(c.a), b: random(c.b), weights: random(shape.outShape), outShape: shape.outShape };
    });
    const run = () =>
      cases.map((c, i) => {
        const tensors = [tf.tensor(inputs[i].a, c.a), tf.tensor(inputs[i].b, c.b), tf.tensor(inputs[i].weights, inputs[i].outShape)];
        const result = productAndGradients(c, tensors[0], tensors[1], tensors[2]);
        tf.dispose(tensors);
        return result;
      });
    await setBackend('cpu');
    const onCpu = run();
    await setBackend('wasm');
    expect(simdBatchMatMulActive()).toBe(true);
    const before = tf.memory().numTensors;
    const onSimd = run();
    expect(tf.memory().numTensors).toBe(before);
    unregisterSimdBatchMatMul();
    expect(simdBatchMatMulActive()).toBe(false);
    const onXnnpack = run();
    onSimd.forEach((results, i) => {
      results.forEach((result, j) => {
        expect(result.shape).toEqual(onCpu[i][j].shape);
        expect(result.shape).toEqual(onXnnpack[i][j].shape);
        expect(maxDifference(result.values, onCpu[i][j].values)).toBeLessThan(1e-5);
        expect(maxDifference(result.values, onXnnpack[i][j].values)).toBeLessThan(1e-5);
      });
    });
  });

  it('describes shapes the way tfjs broadcasts them', () => {
    expect(productShape([2, 3, 4, 5], [2, 3, 5, 6], false, false)).toEqual({ batchA: 6, batchB: 6, m: 4, k: 5, n: 6, outShape: [2, 3, 4, 6] });
    expect(productShape([4, 5], [1, 6, 4], true, true)).toEqual({ batchA: 1, batchB: 1, m: 5, k: 4, n: 6, outShape: [1, 5, 6] });
    expect(productShape([2, 4, 5], [3, 5, 6], false, false)).toBeUndefined();
    expect(productShape([4, 5], [4, 6], false, false)).toBeUndefined();
  });
});
