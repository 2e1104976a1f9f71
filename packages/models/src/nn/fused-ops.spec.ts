import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@rlgf/core';
import { fusedKernelNames, hasFusedKernel } from '../backend/fused-kernels';
import { setBackend } from '../backend/set-backend';
import { rmsNorm, rmsNormComposite, swiGlu, swiGluComposite } from './fused-ops';
import { KvCache } from './kv-cache';
import { attentionBias } from './masks';
import { createRotaryEmbedding, rotaryAngles } from './rotary';
import { selfAttention } from './self-attention';

const rng = Rng.fromSeed(11, 'fused-ops');
const random = (size: number, scale = 1) => Float32Array.from({ length: size }, () => (rng.nextFloat() * 2 - 1) * scale);
const maxDifference = (x: tf.Tensor, y: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(x, y))).dataSync()[0]);

interface AttentionCase {
  readonly batch: number;
  readonly steps: number;
  readonly heads: number;
  readonly kvHeads: number;
  readonly headDim: number;
  readonly start: number;
  readonly capacity: number;
  readonly rotary: boolean;
}

// Prompt passes (start 0, several steps) and decoding steps, grouped and plain heads, head sizes
// off the 4-lane SIMD width, left padding (masked columns) in row 0.
const attentionCases: AttentionCase[] = [
  { batch: 2, steps: 5, heads: 4, kvHeads: 2, headDim: 8, start: 0, capacity: 9, rotary: true },
  { batch: 3, steps: 1, heads: 4, kvHeads: 2, headDim: 8, start: 6, capacity: 9, rotary: true },
  { batch: 1, steps: 2, heads: 3, kvHeads: 3, headDim: 6, start: 3, capacity: 7, rotary: false },
  { batch: 2, steps: 1, heads: 2, kvHeads: 1, headDim: 10, start: 4, capacity: 5, rotary: true },
];

describe.each(['cpu', 'wasm'])('fused inference ops on %s', (backend) => {
  beforeAll(() => setBackend(backend));

  it('has a kernel for every fused op', () => {
    for (const name of Object.values(fusedKernelNames)) expect(hasFusedKernel(name)).toBe(true);
  });

  it('RMSNorm and SwiGLU match their composites, and differentiate through them under a tape', () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = tf.tensor2d(random(7 * 13, 3), [7, 13]);
      const weight = tf.tensor1d(random(13));
      expect(maxDifference(rmsNorm(x, weight, 1e-5), rmsNormComposite(x, weight, 1e-5))).toBeLessThan(1e-5);
      // Gates from -30 to 30 cover the exponential's range reduction.
      const gateUp = tf.tensor2d(random(5 * 22, 30), [5, 22]);
      expect(maxDifference(swiGlu(gateUp), swiGluComposite(gateUp))).toBeLessThan(3e-5 * 30);
      const fusedGrad = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(rmsNorm(input, weight, 1e-5), swiGlu(tf.concat([input, input], 1) as tf.Tensor2D))))(x);
      const compositeGrad = tf.grad((input: tf.Tensor) =>
        tf.sum(tf.mul(rmsNormComposite(input, weight, 1e-5), swiGluComposite(tf.concat([input, input], 1) as tf.Tensor2D))),
      )(x);
      expect(maxDifference(fusedGrad, compositeGrad)).toBe(0);
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it.each(attentionCases)('cached attention matches the composite path and writes the same cache (%o)', (c) => {
    const before = tf.memory().numTensors;
    const width = (c.heads + 2 * c.kvHeads) * c.headDim;
    const caches = [true, false].map((writeInPlace) => new KvCache(1, c.batch, c.kvHeads, c.capacity, c.headDim, { writeInPlace }));
    expect(caches.map((cache) => cache.writesInPlace())).toEqual([true, false]);
    const rotary = createRotaryEmbedding(32, c.headDim, 10000);
    // Earlier columns hold what previous steps wrote.
    if (c.start > 0) {
      const old = [random(c.batch * c.start * c.kvHeads * c.headDim), random(c.batch * c.start * c.kvHeads * c.headDim)];
      for (const cache of caches) tf.tidy(() => cache.write(0, tf.tensor4d(old[0], [c.batch, c.start, c.kvHeads, c.headDim]), tf.tensor4d(old[1], [c.batch, c.start, c.kvHeads, c.headDim]), 0));
    }
    const keyValid = Array.from({ length: c.batch }, (_, b) => Uint8Array.from({ length: c.capacity }, (_, j) => (b === 0 && j === 0 ? 0 : 1)));
    const qkvData = random(c.batch * c.steps * width);
    const positionData = Int32Array.from({ length: c.batch * c.steps }, (_, i) => 3 + (i % c.steps) + Math.floor(i / c.steps));
    const outputs = caches.map((cache) =>
      tf.tidy(() => {
        const positions = tf.tensor2d(positionData, [c.batch, c.steps], 'int32');
        return selfAttention({
          qkv: tf.tensor2d(qkvData, [c.batch * c.steps, width]),
          batch: c.batch,
          steps: c.steps,
          heads: c.heads,
          kvHeads: c.kvHeads,
          headDim: c.headDim,
          rotary: c.rotary ? { embedding: rotary, angles: () => rotaryAngles(rotary, positions) } : undefined,
          positions,
          bias: tf.tensor4d(attentionBias(keyValid, c.start, c.steps, c.capacity), [c.batch, 1, c.steps, c.capacity]),
          slot: { cache, layer: 0, start: c.start },
        });
      }),
    );
    expect(outputs[0].shape).toEqual([c.batch * c.steps, c.heads * c.headDim]);
    // A query whose every column is masked (a padding position: row 0's first prompt column)
    // has no meaningful output, and nothing reads it; every other row must agree.
    const attending = tf.tensor2d(
      Array.from({ length: c.batch * c.steps }, (_, row) => (row === 0 && c.start === 0 ? 0 : 1)),
      [c.batch * c.steps, 1],
    );
    expect(tf.tidy(() => maxDifference(tf.mul(outputs[0], attending), tf.mul(outputs[1], attending)))).toBeLessThan(1e-5);
    attending.dispose();
    expect(maxDifference(caches[0].key(0), caches[1].key(0))).toBeLessThan(1e-6);
    expect(maxDifference(caches[0].value(0), caches[1].value(0))).toBe(0);
    tf.dispose([...outputs, rotary.cos, rotary.sin, rotary.rotateHalf]);
    for (const cache of caches) cache.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
