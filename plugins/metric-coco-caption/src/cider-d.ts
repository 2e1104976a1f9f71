import { countNgrams, ngramOrder } from '@rlgf/text';

const maxOrder = 4;

export interface CiderDOptions {
  /** Standard deviation of the Gaussian length penalty (pycocoevalcap: 6). */
  readonly sigma?: number;
}

interface Vector {
  readonly weights: readonly Map<string, number>[];
  readonly norms: readonly number[];
  /** pycocoevalcap counts the *bigrams* here (its `if n == 1`), kept for parity. */
  readonly length: number;
}

function toVector(counts: Map<string, number>, documentFrequency: Map<string, number>, logCorpusSize: number): Vector {
  const weights = Array.from({ length: maxOrder }, () => new Map<string, number>());
  const squares = new Array<number>(maxOrder).fill(0);
  let length = 0;
  for (const [key, termFrequency] of counts) {
    const n = ngramOrder(key) - 1;
    const weight = termFrequency * (logCorpusSize - Math.log(Math.max(1, documentFrequency.get(key) ?? 0)));
    weights[n].set(key, weight);
    squares[n] += weight * weight;
    if (n === 1) length += termFrequency;
  }
  return { weights, norms: squares.map(Math.sqrt), length };
}

function similarity(hyp: Vector, ref: Vector, sigma: number): number[] {
  const delta = hyp.length - ref.length;
  const penalty = Math.exp(-(delta * delta) / (2 * sigma * sigma));
  return hyp.weights.map((weights, n) => {
    let value = 0;
    for (const [key, weight] of weights) {
      const refWeight = ref.weights[n].get(key) ?? 0;
      // CIDEr-D clips the candidate's weight at the reference's.
      value += Math.min(weight, refWeight) * refWeight;
    }
    if (hyp.norms[n] !== 0 && ref.norms[n] !== 0) value /= hyp.norms[n] * ref.norms[n];
    return value * penalty;
  });
}

/**
 * CIDEr-D as pycocoevalcap's CiderScorer computes it on tokenized captions: TF-IDF n-gram
 * vectors (n = 1..4) with document frequencies over this corpus' references, clipped cosine
 * similarity, Gaussian length penalty (sigma 6), averaged over n and references, times 10.
 * Returns the per-caption scores (the corpus score is their mean).
 */
export function ciderD(tests: readonly (readonly string[])[], refs: readonly (readonly (readonly string[])[])[], options: CiderDOptions = {}): number[] {
  const sigma = options.sigma ?? 6;
  const refCounts = refs.map((itemRefs) => itemRefs.map((ref) => countNgrams(ref, 1, maxOrder)));
  const documentFrequency = new Map<string, number>();
  for (const itemRefs of refCounts) {
    const seen = new Set(itemRefs.flatMap((counts) => [...counts.keys()]));
    for (const key of seen) documentFrequency.set(key, (documentFrequency.get(key) ?? 0) + 1);
  }
  const logCorpusSize = Math.log(refs.length);
  return tests.map((test, i) => {
    const hyp = toVector(countNgrams(test, 1, maxOrder), documentFrequency, logCorpusSize);
    const sums = new Array<number>(maxOrder).fill(0);
    for (const counts of refCounts[i]) {
      similarity(hyp, toVector(counts, documentFrequency, logCorpusSize), sigma).forEach((value, n) => (sums[n] += value));
    }
    const meanOverOrders = sums.reduce((sum, value) => sum + value, 0) / maxOrder;
    return (meanOverOrders / refCounts[i].length) * 10;
  });
}
