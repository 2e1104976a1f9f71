import * as tf from '@tensorflow/tfjs-core';
import { simdBatchMatMulActive } from '../backend/batch-matmul-kernel';
import { loraUpdate } from './lora-scope';

/**
 * `x @ w` for a 2-D `x` [rows, in] and `w` [in, out]. Its gradient multiplies by transposed
 * operands: directly where the backend does that well (this package's SIMD kernel on wasm, cpu,
 * tensorflow), else (wasm's own kernel runs `matMul(a, b, false, true)` about 15x slower) through
 * explicit transposes and plain products.
 */
const matMulFastGrad = tf.customGrad(((x: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [savedX, savedW] = saved as tf.Tensor2D[];
      if (tf.getBackend() !== 'wasm' || simdBatchMatMulActive()) {
        return [tf.matMul(dy as tf.Tensor2D, savedW, false, true), tf.matMul(savedX, dy as tf.Tensor2D, true, false)];
      }
      // The transposes are freed at once: the tape keeps every other temporary until the whole
      // backward pass ends, and a transposed copy of every weight is gigabytes for GPT-2 small.
      const transposedW = tf.transpose(savedW);
      const dx = tf.matMul(dy as tf.Tensor2D, transposedW);
      transposedW.dispose();
      const transposedX = tf.transpose(savedX);
      const dw = tf.matMul(transposedX, dy as tf.Tensor2D);
      transposedX.dispose();
      return [dx, dw];
    },
  };
}) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (x: tf.Tensor2D, w: tf.Tensor2D) => tf.Tensor2D;

/** True while a gradient tape records (inside `tf.grad`, `tf.variableGrads`, `minimize`). */
export function recordingGradients(): boolean {
  return tf.engine().state.gradientDepth > 0;
}

/**
 * A dense layer on the last axis: `x` [..., in] times `w` [in, out], plus `bias` [out]. Without a
 * gradient tape a bias is fused into the product's kernel; with one, the product has the fast
 * gradient above. An active LoRA adapter on `w` adds its low-rank update beside the (fused)
 * product, so the base weight is never copied or merged.
 */
export function linear(x: tf.Tensor, w: tf.Tensor2D, bias?: tf.Tensor1D): tf.Tensor {
  const inner = x.shape[x.shape.length - 1];
  const rows = x.size / inner;
  const flat = (x.rank === 2 ? x : tf.reshape(x, [rows, inner])) as tf.Tensor2D;
  let product: tf.Tensor2D;
  if (!recordingGradients()) {
    product = bias === undefined ? tf.matMul(flat, w) : (tf.fused.matMul({ a: flat, b: w, bias }) as tf.Tensor2D);
  } else {
    product = matMulFastGrad(flat, w);
    if (bias !== undefined) product = tf.add(product, bias);
  }
  const update = loraUpdate(flat, w, (a, b) => (recordingGradients() ? matMulFastGrad(a, b) : tf.matMul(a, b)));
  if (update !== undefined) product = tf.add(product, update);
  return x.rank === 2 ? product : tf.reshape(product, [...x.shape.slice(0, -1), w.shape[1]]);
}
