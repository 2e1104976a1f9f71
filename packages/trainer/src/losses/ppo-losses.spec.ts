import '@tensorflow/tfjs-backend-cpu';
// The union package registers every op's gradient (tfjs-core's CommonJS build registers none).
import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { aggregateTokens, clippedPolicyLoss, clippedValueLoss, maskedMean, mleLoss, policyStatistics } from './ppo-losses';

const ln = Math.log;

beforeAll(async () => {
  tf.env().set('PROD', true);
  await tf.setBackend('cpu');
});

describe('PPO losses against hand-computed values', () => {
  // Token 1: ρ = 1.25 > 1.2 with A > 0 (clipped); token 2: ρ = 2/3 < 0.8 with A < 0 (clipped);
  // token 3: ρ = 1 (unclipped); token 4 is padding with absurd values.
  const batch = () => ({
    logProbs: tf.tensor2d([[ln(0.5), ln(0.2), ln(0.3), 50]]),
    oldLogProbs: tf.tensor2d([[ln(0.4), ln(0.3), ln(0.3), -50]]),
    advantages: tf.tensor2d([[1, -1, 2, 1e6]]),
    mask: tf.tensor2d([[1, 1, 1, 0]]),
  });

  it('clipped surrogate: mean(−1.2, 0.8, −2) with gradient only on the unclipped token', () => {
    const before = tf.memory().numTensors;
    const { logProbs, oldLogProbs, advantages, mask } = batch();
    const loss = clippedPolicyLoss({ logProbs, oldLogProbs, advantages, mask, clipRange: 0.2 });
    expect(loss.dataSync()[0]).toBeCloseTo(-0.8, 6);
    const grad = tf.grad((x: tf.Tensor) => clippedPolicyLoss({ logProbs: x, oldLogProbs, advantages, mask, clipRange: 0.2 }))(logProbs);
    const g = Array.from(grad.dataSync());
    expect(g[0]).toBeCloseTo(0, 6);
    expect(g[1]).toBeCloseTo(0, 6);
    expect(g[2]).toBeCloseTo(-2 / 3, 6);
    expect(g[3]).toBeCloseTo(0, 6);
    tf.dispose([loss, grad, logProbs, oldLogProbs, advantages, mask]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('clipped value loss takes the larger of the clipped and unclipped errors', () => {
    const values = tf.tensor2d([[1.0, 0.5, 0.2]]);
    const oldValues = tf.tensor2d([[0.8, 0.5, 0.8]]);
    const returns = tf.tensor2d([[0.5, 1.0, 0.5]]);
    const mask = tf.tensor2d([[1, 1, 1]]);
    // max(0.25, 0.16), max(0.25, 0.25), max(0.09, 0.04) → 0.5·mean(0.25, 0.25, 0.09)
    const loss = clippedValueLoss({ values, oldValues, returns, mask, clipRange: 0.1 });
    expect(loss.dataSync()[0]).toBeCloseTo(0.5 * (0.59 / 3), 6);
    const plain = clippedValueLoss({ values, oldValues, returns, mask, clipRange: 0 });
    expect(plain.dataSync()[0]).toBeCloseTo(0.5 * (0.25 + 0.25 + 0.09) / 3, 6);
    tf.dispose([values, oldValues, returns, mask, loss, plain]);
  });

  it('statistics: clip fraction 2/3 and k3 approximate KL', async () => {
    const { logProbs, oldLogProbs, mask, advantages } = batch();
    const stats = await policyStatistics({ logProbs, oldLogProbs, mask, clipRange: 0.2 });
    expect(stats.clipFraction).toBeCloseTo(2 / 3, 6);
    const k3 = (r: number) => r - 1 - ln(r);
    expect(stats.approxKl).toBeCloseTo((k3(1.25) + k3(2 / 3) + 0) / 3, 6);
    tf.dispose([logProbs, oldLogProbs, mask, advantages]);
  });

  it('MLE loss is the mean negative log-likelihood over masked tokens; empty masks give 0', () => {
    const logProbs = tf.tensor2d([[ln(0.5), ln(0.25), 0]]);
    const loss = mleLoss(logProbs, tf.tensor2d([[1, 1, 0]]));
    expect(loss.dataSync()[0]).toBeCloseTo((ln(2) + ln(4)) / 2, 6);
    expect(maskedMean(logProbs, tf.zeros([1, 3])).dataSync()[0]).toBe(0);
  });
});

describe('token aggregation (TRL loss types)', () => {
  // Row 0: tokens 1, 2, 3 (mean 2); row 1: token 10 only; row 2: no token. 4 tokens of 9 places.
  const x = () => tf.tensor2d([[1, 2, 3], [10, 99, 99], [99, 99, 99]]);
  const mask = () => tf.tensor2d([[1, 1, 1], [1, 0, 0], [0, 0, 0]]);

  it('token: over all masked tokens (PPO, DAPO)', () => {
    expect(aggregateTokens(x(), mask(), 'token').dataSync()[0]).toBeCloseTo(16 / 4, 6);
  });

  it('sequence: each row with tokens its mean, then over those rows (GRPO)', () => {
    expect(aggregateTokens(x(), mask(), 'sequence').dataSync()[0]).toBeCloseTo((2 + 10) / 2, 6);
  });

  it('constant: the sum over rows × tokens (Dr. GRPO)', () => {
    expect(aggregateTokens(x(), mask(), 'constant').dataSync()[0]).toBeCloseTo(16 / 9, 6);
  });
});
