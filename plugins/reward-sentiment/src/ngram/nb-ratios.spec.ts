import { nbLogCountRatios } from './nb-ratios';

describe('nbLogCountRatios', () => {
  it('computes log((p/|p|) / (q/|q|)) with smoothing, by hand', () => {
    // Buckets 0..2; positives hold {0, 1} and {0}; the negative holds {2}. α = 1:
    // p = [3, 2, 1] (|p| = 6), q = [1, 1, 2] (|q| = 4).
    const examples = [
      { features: Int32Array.from([0, 1]), label: 1 },
      { features: Int32Array.from([0]), label: 1 },
      { features: Int32Array.from([2]), label: 0 },
    ];
    const ratios = nbLogCountRatios(examples, 3, 1);
    const expected = [Math.log(3 / 6 / (1 / 4)), Math.log(2 / 6 / (1 / 4)), Math.log(1 / 6 / (2 / 4))];
    expected.forEach((value, j) => expect(ratios[j]).toBeCloseTo(value, 6));
  });

  it('gives 0 for a feature no example holds when the classes are the same size', () => {
    const examples = [
      { features: Int32Array.from([0]), label: 1 },
      { features: Int32Array.from([1]), label: 0 },
    ];
    expect(nbLogCountRatios(examples, 3, 1)[2]).toBeCloseTo(0, 7);
  });
});
