import * as tf from '@tensorflow/tfjs-core';
import { setBackend } from '@rlgf/models';
import { binomialTwoSidedP, bradleyTerryLoss, meanPairLoss, pairwiseAccuracy } from './bradley-terry';

describe.each(['cpu', 'wasm'])('bradleyTerryLoss on %s', (backend) => {
  beforeAll(() => setBackend(backend));

  it('is the mean of −log σ(r_chosen − r_rejected), with its gradient', () => {
    const before = tf.memory().numTensors;
    const chosen = tf.tensor1d([2, 0, -30]);
    const rejected = tf.tensor1d([0, 0, 30]);
    const { value, grads } = tf.valueAndGrads((c: tf.Tensor) => bradleyTerryLoss(c as tf.Tensor1D, rejected))([chosen]);
    // −log σ(2) = 0.126928, −log σ(0) = 0.693147, −log σ(−60) = 60 (exactly, to float precision).
    expect(value.dataSync()[0]).toBeCloseTo((0.126928 + 0.693147 + 60) / 3, 4);
    // d/dc −log σ(c − r) = −σ(r − c), over 3 pairs.
    const expected = [-(1 / (1 + Math.exp(2))) / 3, -0.5 / 3, -1 / 3];
    Array.from(grads[0].dataSync()).forEach((g, i) => expect(g).toBeCloseTo(expected[i], 6));
    tf.dispose([chosen, rejected, value, ...grads]);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('pair statistics', () => {
  it('count a tie as half a right answer', () => {
    expect(pairwiseAccuracy([1, 2, 3, 0], [0, 5, 3, -1])).toBe(2.5 / 4);
    expect(pairwiseAccuracy([], [])).toBeNaN();
  });

  it('average the loss on the host as on the device', () => {
    expect(meanPairLoss([2, 0], [0, 0])).toBeCloseTo((0.126928 + 0.693147) / 2, 5);
    expect(meanPairLoss([-800], [0])).toBeCloseTo(800, 6);
  });

  it('give the exact two-sided binomial p-value against a fair coin', () => {
    // P(|X − 5| ≥ 3) for X ~ Bin(10, ½) = 2·(45 + 10 + 1)/1024.
    expect(binomialTwoSidedP(8, 10)).toBeCloseTo(112 / 1024, 12);
    expect(binomialTwoSidedP(2, 10)).toBeCloseTo(112 / 1024, 12);
    expect(binomialTwoSidedP(5, 10)).toBe(1);
    expect(binomialTwoSidedP(70, 70)).toBeCloseTo(2 * 0.5 ** 70, 30);
  });
});
