import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@rlgf/core';
import { fusedKernelNames, hasFusedKernel } from '../../backend/fused-kernels';
import { setBackend } from '../../backend/set-backend';
import { KvCache } from '../../nn/kv-cache';
import { attentionBias } from '../../nn/masks';
import { createRotaryEmbedding, rotaryAngles } from '../../nn/rotary';
import { parseLlamaConfig } from './llama-config';
import { llamaLayer } from './llama-layer';

const rng = Rng.fromSeed(5, 'llama-layer');
const random = (size: number, scale = 0.5) => Float32Array.from({ length: size }, () => (rng.nextFloat() * 2 - 1) * scale);
const maxDifference = (x: tf.Tensor, y: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(x, y))).dataSync()[0]);

// Odd sizes: a hidden width and MLP off the SIMD width, grouped heads of 6 dimensions.
const config = parseLlamaConfig({ model_type: 'llama', vocab_size: 16, hidden_size: 18, intermediate_size: 13, num_hidden_layers: 1, num_attention_heads: 3, num_key_value_heads: 1, rms_norm_eps: 1e-5 });
const [batch, capacity, start] = [3, 9, 5];
const width = (config.numHeads + 2 * config.numKvHeads) * config.headDim;

describe.each(['cpu', 'wasm'])('the fused Llama decoding layer on %s', (backend) => {
  beforeAll(() => setBackend(backend));

  it('matches the layer composed of ops, output and cache, on a decoding step', () => {
    expect(hasFusedKernel(fusedKernelNames.llamaLayer)).toBe(true);
    const before = tf.memory().numTensors;
    const cacheShape = [batch, start, config.numKvHeads, config.headDim] as const;
    const old = [random(batch * start * config.numKvHeads * config.headDim), random(batch * start * config.numKvHeads * config.headDim)];
    const caches = [true, false].map((writeInPlace) => {
      const cache = new KvCache(1, batch, config.numKvHeads, capacity, config.headDim, { writeInPlace });
      tf.tidy(() => cache.write(0, tf.tensor4d(old[0], [...cacheShape]), tf.tensor4d(old[1], [...cacheShape]), 0));
      return cache;
    });
    const rotary = createRotaryEmbedding(32, config.headDim, config.ropeTheta);
    const d = config.hiddenSize;
    const inner = config.intermediateSize;
    const weights = tf.tidy(() => ({
      inputNorm: tf.keep(tf.tensor1d(random(d, 2))),
      qkv: tf.keep(tf.tensor2d(random(d * width), [d, width])),
      o: tf.keep(tf.tensor2d(random(config.numHeads * config.headDim * d), [config.numHeads * config.headDim, d])),
      postNorm: tf.keep(tf.tensor1d(random(d, 2))),
      gateUp: tf.keep(tf.tensor2d(random(d * 2 * inner), [d, 2 * inner])),
      down: tf.keep(tf.tensor2d(random(inner * d), [inner, d])),
    }));
    const hiddenData = random(batch * d, 2);
    const keyValid = Array.from({ length: batch }, (_, b) => Uint8Array.from({ length: capacity }, (_, j) => (b === 1 && j < 2 ? 0 : 1)));
    const outputs = caches.map((cache) =>
      tf.tidy(() => {
        const positions = tf.tensor2d([7, 3, 11], [batch, 1], 'int32');
        return llamaLayer({
          hidden: tf.tensor2d(hiddenData, [batch, d]),
          weights,
          config,
          batch,
          steps: 1,
          rotary: { embedding: rotary, angles: () => rotaryAngles(rotary, positions) },
          positions,
          bias: tf.tensor4d(attentionBias(keyValid, start, 1, capacity), [batch, 1, 1, capacity]),
          slot: { cache, layer: 0, start },
        });
      }),
    );
    expect(maxDifference(outputs[0], outputs[1])).toBeLessThan(1e-4);
    expect(maxDifference(caches[0].key(0), caches[1].key(0))).toBeLessThan(1e-5);
    expect(maxDifference(caches[0].value(0), caches[1].value(0))).toBeLessThan(1e-5);
    tf.dispose([...outputs, ...Object.values(weights), rotary.cos, rotary.sin, rotary.rotateHalf]);
    for (const cache of caches) cache.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
