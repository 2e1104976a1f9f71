import { Rng } from '@rlgf/core';
import { setBackend } from '@rlgf/models';
import * as tf from '@tensorflow/tfjs-core';
import { gae } from './gae';
import { klPerToken, klPerTokenTensor } from './kl';
import { adaptiveKlController, fixedKlController } from './kl-controller';
import { explainedVariance, meanAndStd } from './statistics';
import { sampleSwitchStep } from './switch-step';
import { tokenRewards } from './token-rewards';
import { whiten } from './whiten';

describe('GAE', () => {
  it('matches a hand-computed example with padding', () => {
    // γ = 0.9, λ = 0.8; δ2 = 0.7, δ1 = −0.13, δ0 = −0.14; A1 = −0.13 + 0.72·0.7, A0 = −0.14 + 0.72·A1
    const { advantages, returns } = gae([0, 0, 1, 0], [0.5, 0.4, 0.3, 9], 3, 0.9, 0.8);
    expect(advantages[0]).toBeCloseTo(0.12928, 10);
    expect(advantages[1]).toBeCloseTo(0.374, 10);
    expect(advantages[2]).toBeCloseTo(0.7, 10);
    expect(advantages[3]).toBe(0);
    expect(returns.slice(0, 3).map((r) => Number(r.toFixed(5)))).toEqual([0.62928, 0.774, 1]);
    expect(returns[3]).toBe(0);
  });

  it('reduces to Monte Carlo returns minus values with γ = λ = 1', () => {
    const { advantages, returns } = gae([0.1, -0.2, 1], [0.5, 0.4, 0.3], 3, 1, 1);
    expect(advantages.map((a) => Number(a.toFixed(10)))).toEqual([0.4, 0.4, 0.7]);
    expect(returns.map((r) => Number(r.toFixed(10)))).toEqual([0.9, 0.8, 1]);
  });

  it('reduces to one-step TD errors with λ = 0', () => {
    const { advantages } = gae([0, 0, 1], [0.5, 0.4, 0.3], 3, 0.9, 0);
    expect(advantages.map((a) => Number(a.toFixed(10)))).toEqual([-0.14, -0.13, 0.7]);
  });
});

describe('KL', () => {
  it('k1 is the log-ratio and k3 is (r − 1) − log r', () => {
    expect(klPerToken(-1, -2, 'k1')).toBeCloseTo(1, 12);
    expect(klPerToken(-2, -1, 'k1')).toBeCloseTo(-1, 12);
    expect(klPerToken(-1, -2, 'k3')).toBeCloseTo(Math.exp(-1) - 1 + 1, 12);
    expect(klPerToken(-2, -1, 'k3')).toBeCloseTo(Math.E - 1 - 1, 12);
    expect(klPerToken(-0.5, -0.5, 'k3')).toBe(0);
    expect(klPerToken(-1, -3, 'k2')).toBe(2);
  });

  it('the tensor estimators equal the scalar ones', async () => {
    await setBackend('cpu');
    const policy = [-1, -2, -0.5];
    const reference = [-2, -1, -0.5];
    for (const estimator of ['k1', 'k2', 'k3'] as const) {
      const values = klPerTokenTensor(tf.tensor1d(policy), tf.tensor1d(reference), estimator).dataSync();
      policy.forEach((p, i) => expect(values[i]).toBeCloseTo(klPerToken(p, reference[i], estimator), 5));
    }
  });

  it('fixed controller never moves; adaptive follows Ziegler et al. with the error clipped to ±0.2', () => {
    const fixed = fixedKlController(0.001);
    fixed.update(100, 112);
    expect(fixed.coef).toBe(0.001);
    const high = adaptiveKlController({ coef: 0.1, target: 6, horizon: 10000 });
    high.update(12, 112);
    expect(high.coef).toBeCloseTo(0.1 * (1 + (0.2 * 112) / 10000), 15);
    const low = adaptiveKlController({ coef: 0.1, target: 6, horizon: 10000 });
    low.update(3, 112);
    expect(low.coef).toBeCloseTo(0.1 * (1 - (0.2 * 112) / 10000), 15);
    const near = adaptiveKlController({ coef: 0.1, target: 6, horizon: 10000 });
    near.update(6.6, 112);
    expect(near.coef).toBeCloseTo(0.1 * (1 + (0.1 * 112) / 10000), 15);
    expect(near.getState()).toEqual({ kind: 'adaptive', coef: near.coef });
  });
});

describe('token rewards', () => {
  it('put the score on the last valid token and subtract β·KL everywhere valid', () => {
    expect(tokenRewards({ length: 3, width: 4, score: 2, kl: [0.1, -0.2, 0.3, 5], klCoef: 0.5 })).toEqual([-0.05, 0.1, 1.85, 0]);
  });

  it('use per-token scores instead when the reward gives them', () => {
    expect(tokenRewards({ length: 2, width: 3, score: 9, tokenScores: [1, 2], kl: [0, 0.2, 0], klCoef: 1 })).toEqual([1, 1.8, 0]);
  });

  it('leave an empty generation without reward', () => {
    expect(tokenRewards({ length: 0, width: 2, score: 1, kl: [0, 0], klCoef: 1 })).toEqual([0, 0]);
  });
});

describe('whitening and statistics', () => {
  it('whitens masked entries to mean 0 and population std 1', () => {
    const out = whiten([[1, 2, 7], [3, 4, 7]], [[1, 1, 0], [1, 1, 0]]);
    const s = Math.sqrt(1.25);
    expect(out[0][0]).toBeCloseTo(-1.5 / s, 6);
    expect(out[1][1]).toBeCloseTo(1.5 / s, 6);
    expect(out[0][2]).toBe(0);
    expect(whiten([[5, 5]], [[1, 1]])).toEqual([[0, 0]]);
  });

  it('computes mean, std and explained variance', () => {
    expect(meanAndStd([1, 2, 3, 4])).toEqual({ mean: 2.5, std: Math.sqrt(1.25) });
    expect(explainedVariance([1, 2, 3], [1, 2, 3])).toBe(1);
    expect(explainedVariance([2, 2, 2], [1, 2, 3])).toBeCloseTo(0, 12);
    expect(explainedVariance([3, 2, 1], [1, 2, 3])).toBeCloseTo(-3, 12);
    expect(explainedVariance([1, 2], [2, 2])).toBeNaN();
  });
});

describe('switch step', () => {
  it('is 0 without a switch and uniform on {1, …, L−1} with one', () => {
    const rng = Rng.fromSeed(11);
    const counts = new Array<number>(5).fill(0);
    const draws = 50_000;
    for (let i = 0; i < draws; i++) counts[sampleSwitchStep(rng, 0.6, 5)]++;
    expect(counts[0] / draws).toBeCloseTo(0.4, 1);
    for (let k = 1; k <= 4; k++) expect(Math.abs(counts[k] / draws - 0.15)).toBeLessThan(0.01);
  });

  it('never switches with β = 0, always with β = 1, and not on a roll-in shorter than 2', () => {
    const rng = Rng.fromSeed(1);
    for (let i = 0; i < 100; i++) {
      expect(sampleSwitchStep(rng, 0, 48)).toBe(0);
      expect(sampleSwitchStep(rng, 1, 2)).toBe(1);
      expect(sampleSwitchStep(rng, 1, 1)).toBe(0);
    }
  });

  it('draws the same steps from the same seed', () => {
    const draw = () => {
      const rng = Rng.fromSeed(5, 'switch', 3);
      return Array.from({ length: 20 }, () => sampleSwitchStep(rng, 0.8, 48));
    };
    expect(draw()).toEqual(draw());
  });
});
