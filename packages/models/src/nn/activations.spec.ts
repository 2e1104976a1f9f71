import * as tf from '@tensorflow/tfjs-core';
import { setBackend } from '../backend/set-backend';
import { geluTanh } from './activations';

const sqrtTwoOverPi = Math.sqrt(2 / Math.PI);
const gelu = (x: number) => 0.5 * x * (1 + Math.tanh(sqrtTwoOverPi * (x + 0.044715 * x ** 3)));

describe.each(['cpu', 'wasm'])('gelu_new on %s', (backend) => {
  beforeAll(() => setBackend(backend));

  it('computes the tanh approximation and its derivative', () => {
    const points = [-3, -1, -0.2, 0, 0.5, 2];
    const x = tf.tensor1d(points);
    const before = tf.memory().numTensors;
    const [values, gradient] = tf.tidy(() => [geluTanh(x).arraySync() as number[], tf.grad((input: tf.Tensor) => tf.sum(geluTanh(input)))(x).arraySync() as number[]]);
    expect(tf.memory().numTensors).toBe(before);
    points.forEach((p, i) => {
      expect(values[i]).toBeCloseTo(gelu(p), 5);
      expect(gradient[i]).toBeCloseTo((gelu(p + 1e-4) - gelu(p - 1e-4)) / 2e-4, 4);
    });
    x.dispose();
  });
});
