import * as tf from '@tensorflow/tfjs-core';
import { setBackend } from '../backend/set-backend';
import { GradientAccumulator } from './gradient-accumulator';

describe.each(['cpu', 'wasm'])('GradientAccumulator on %s', (backend) => {
  beforeAll(() => setBackend(backend));

  it('sums micro-batch gradients, resets, and disposes what it is given', () => {
    const a = tf.variable(tf.tensor1d([1, 2, 3]));
    const b = tf.variable(tf.tensor2d([[1, 1]]));
    const accumulator = new GradientAccumulator([a, b]);
    const before = tf.memory().numTensors;
    accumulator.add({ [a.name]: tf.tensor1d([0.5, 1, -1]), [b.name]: tf.tensor2d([[2, 3]]) });
    accumulator.add({ [a.name]: tf.tensor1d([0.25, 0, 1]), [b.name]: tf.tensor2d([[-1, 1]]) });
    expect(tf.memory().numTensors).toBe(before);
    expect(accumulator.micro).toBe(2);
    expect(accumulator.gradients().map((g) => g.arraySync())).toEqual([[0.75, 1, 0], [[1, 4]]]);
    accumulator.reset();
    expect(accumulator.gradients().map((g) => g.arraySync())).toEqual([[0, 0, 0], [[0, 0]]]);
    accumulator.dispose();
    tf.dispose([a, b]);
  });
});
