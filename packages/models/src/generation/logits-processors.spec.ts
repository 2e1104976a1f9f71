import { Rng } from '@rlgf/core';
import { logSumExp, softmax, suppressTokensProcessor, temperatureProcessor, topKProcessor, topPProcessor } from './logits-processors';
import { argmax, sampleToken } from './token-choice';

const logOf = (probabilities: number[]) => Float32Array.from(probabilities.map(Math.log));

describe('logits processors', () => {
  it('divides by the temperature', () => {
    const scores = Float32Array.from([2, -4, 1]);
    temperatureProcessor(0.5)(scores);
    expect(Array.from(scores)).toEqual([4, -8, 2]);
  });

  it('stays finite at temperatures whose quotient overflows float32, tending to greedy among the best', () => {
    for (const temperature of [1e-38, 1e-300, Number.MIN_VALUE]) {
      const scores = Float32Array.from([2, 5, 1, -Infinity]);
      temperatureProcessor(temperature)(scores);
      expect(scores[1]).toBe(0);
      expect(Array.from(scores).every((score) => !Number.isNaN(score) && score <= 0)).toBe(true);
      expect(Array.from(softmax(scores))).toEqual([0, 1, 0, 0]);
      const rng = Rng.fromSeed(3);
      expect(Array.from({ length: 20 }, () => sampleToken(scores, rng))).toEqual(new Array(20).fill(1));
    }
    // Two best scores share the draws, as they would at any temperature.
    const tied = Float32Array.from([5, 5, 1]);
    temperatureProcessor(1e-40)(tied);
    const rng = Rng.fromSeed(3);
    expect(new Set(Array.from({ length: 50 }, () => sampleToken(tied, rng)))).toEqual(new Set([0, 1]));
    // All scores negative: the quotient overflows to -Infinity instead, and is handled the same way.
    const negative = Float32Array.from([-3, -1, -2]);
    temperatureProcessor(1e-39)(negative);
    expect(sampleToken(negative, Rng.fromSeed(1))).toBe(1);
  });

  it('divides exactly as before at ordinary temperatures (seeded draws unchanged)', () => {
    const raw = Float32Array.from([0.3, -1.7, 2.9, 1e-3, -Infinity]);
    for (const temperature of [0.7, 1e-3, 1.3, 100]) {
      const scores = Float32Array.from(raw);
      temperatureProcessor(temperature)(scores);
      expect(Array.from(scores)).toEqual(Array.from(raw, (score) => Math.fround(score / temperature)));
    }
  });

  it('keeps the k best scores', () => {
    const scores = Float32Array.from([0.1, 3, 2, -1, 2.5]);
    topKProcessor(2)(scores);
    expect(Array.from(scores)).toEqual([-Infinity, 3, -Infinity, -Infinity, 2.5]);
  });

  it('keeps the nucleus, including the token that crosses p', () => {
    const scores = logOf([0.15, 0.5, 0.05, 0.3]);
    topPProcessor(0.7)(scores);
    expect(Array.from(scores).map((s) => s > -Infinity)).toEqual([false, true, false, true]);
    const single = logOf([0.15, 0.5, 0.05, 0.3]);
    topPProcessor(0.5)(single);
    expect(Array.from(single).map((s) => s > -Infinity)).toEqual([false, true, false, false]);
  });

  it('suppresses tokens', () => {
    const scores = Float32Array.from([1, 2, 3]);
    suppressTokensProcessor([2])(scores);
    expect(argmax(scores)).toBe(1);
  });

  it('computes softmax and log-sum-exp stably', () => {
    const scores = Float32Array.from([1000, 1000 + Math.log(3)]);
    expect(Array.from(softmax(scores))).toEqual([expect.closeTo(0.25, 4), expect.closeTo(0.75, 4)]);
    expect(logSumExp(scores)).toBeCloseTo(1000 + Math.log(4), 3);
  });

  it('samples with the frequencies of the distribution, reproducibly', () => {
    const scores = logOf([0.2, 0.5, 0.3]);
    const counts = [0, 0, 0];
    const rng = Rng.fromSeed(7);
    for (let i = 0; i < 20000; i++) counts[sampleToken(scores, rng)]++;
    expect(counts.map((c) => c / 20000)).toEqual([expect.closeTo(0.2, 1), expect.closeTo(0.5, 1), expect.closeTo(0.3, 1)]);
    const again = Rng.fromSeed(7);
    const first = Rng.fromSeed(7);
    expect(Array.from({ length: 50 }, () => sampleToken(scores, again))).toEqual(Array.from({ length: 50 }, () => sampleToken(scores, first)));
  });

  it('never samples a filtered token', () => {
    const scores = Float32Array.from([0, -Infinity, 0]);
    const rng = Rng.fromSeed(1);
    for (let i = 0; i < 200; i++) expect(sampleToken(scores, rng)).not.toBe(1);
  });
});
