import { countNgrams, ngramOrder } from '@rlgf/text';

const maxOrder = 4;
// pycocoevalcap's constants: `tiny` keeps 0/0 at 0, `small` avoids dividing by zero.
const tiny = 1e-15;
const small = 1e-9;

interface Cooked {
  readonly testLength: number;
  readonly refLengths: readonly number[];
  readonly guess: readonly number[];
  readonly correct: readonly number[];
}

function cook(test: readonly string[], refs: readonly (readonly string[])[]): Cooked {
  const maxCounts = new Map<string, number>();
  for (const ref of refs) {
    for (const [key, count] of countNgrams(ref, 1, maxOrder)) maxCounts.set(key, Math.max(maxCounts.get(key) ?? 0, count));
  }
  const correct = new Array<number>(maxOrder).fill(0);
  for (const [key, count] of countNgrams(test, 1, maxOrder)) correct[ngramOrder(key) - 1] += Math.min(maxCounts.get(key) ?? 0, count);
  return {
    testLength: test.length,
    refLengths: refs.map((ref) => ref.length),
    guess: Array.from({ length: maxOrder }, (_, k) => Math.max(0, test.length - k)),
    correct,
  };
}

/** The "closest" reference length of bleu_scorer.py: min over (|l - testlen|, l), so ties go to the shorter. */
function closestLength(testLength: number, refLengths: readonly number[]): number {
  return refLengths.reduce((best, length) => {
    const diff = Math.abs(length - testLength);
    const bestDiff = Math.abs(best - testLength);
    return diff < bestDiff || (diff === bestDiff && length < best) ? length : best;
  });
}

function cumulativeBleus(correct: readonly number[], guess: readonly number[], testLength: number, refLength: number): number[] {
  const bleus: number[] = [];
  let product = 1;
  for (let k = 0; k < maxOrder; k += 1) {
    product *= (correct[k] + tiny) / (guess[k] + small);
    bleus.push(product ** (1 / (k + 1)));
  }
  const ratio = (testLength + tiny) / (refLength + small);
  return ratio < 1 ? bleus.map((bleu) => bleu * Math.exp(1 - 1 / ratio)) : bleus;
}

export interface CocoBleuResult {
  /** Corpus Bleu_1..Bleu_4. */
  readonly corpus: readonly number[];
  /** Per-item Bleu_1..Bleu_4 (pycocoevalcap's `bleu_list`), `perItem[k][i]`. */
  readonly perItem: readonly (readonly number[])[];
}

/**
 * pycocoevalcap `Bleu(4).compute_score` (option "closest") on already tokenized captions: corpus
 * BLEU-1..4 from summed statistics, plus the per-caption scores it returns alongside.
 */
export function cocoBleu(tests: readonly (readonly string[])[], refs: readonly (readonly (readonly string[])[])[]): CocoBleuResult {
  const cooked = tests.map((test, i) => cook(test, refs[i]));
  const perItem: number[][] = Array.from({ length: maxOrder }, () => []);
  const guess = new Array<number>(maxOrder).fill(0);
  const correct = new Array<number>(maxOrder).fill(0);
  let testLength = 0;
  let refLength = 0;
  for (const item of cooked) {
    const itemRefLength = closestLength(item.testLength, item.refLengths);
    testLength += item.testLength;
    refLength += itemRefLength;
    for (let k = 0; k < maxOrder; k += 1) {
      guess[k] += item.guess[k];
      correct[k] += item.correct[k];
    }
    cumulativeBleus(item.correct, item.guess, item.testLength, itemRefLength).forEach((bleu, k) => perItem[k].push(bleu));
  }
  return { corpus: cumulativeBleus(correct, guess, testLength, refLength), perItem };
}
