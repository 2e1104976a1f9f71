import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { clipByGlobalNorm, learningRateAt } from './gradients';

beforeAll(async () => {
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
});

describe('gradient clipping and schedules', () => {
  it('scales gradients to the global norm limit and reports the norm before clipping', () => {
    const before = tf.memory().numTensors;
    const grads = [tf.tensor1d([3, 0]), tf.tensor2d([[0, 4]])];
    const clipped = clipByGlobalNorm(grads, 1);
    expect(clipped.norm.dataSync()[0]).toBeCloseTo(5, 5);
    expect(Array.from(clipped.gradients[0].dataSync())).toEqual([expect.closeTo(0.6, 5), 0]);
    expect(Array.from(clipped.gradients[1].dataSync())).toEqual([0, expect.closeTo(0.8, 5)]);
    const untouched = clipByGlobalNorm(grads, 10);
    expect(Array.from(untouched.gradients[0].dataSync())).toEqual([expect.closeTo(3, 5), 0]);
    const off = clipByGlobalNorm(grads, 0);
    expect(Array.from(off.gradients[1].dataSync())).toEqual([0, 4]);
    tf.dispose([...grads, ...clipped.gradients, clipped.norm, ...untouched.gradients, untouched.norm, ...off.gradients, off.norm]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('decays the learning rate linearly to 0, or keeps it constant', () => {
    expect(learningRateAt('linear', 1e-4, 0, 100)).toBe(1e-4);
    expect(learningRateAt('linear', 1e-4, 25, 100)).toBeCloseTo(7.5e-5, 12);
    expect(learningRateAt('linear', 1e-4, 100, 100)).toBe(0);
    expect(learningRateAt('constant', 1e-4, 99, 100)).toBe(1e-4);
  });
});
