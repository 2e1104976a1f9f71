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
