import { countNgrams, ngramOrder, tokenize13a } from '@rlgf/text';

const maxOrder = 4;

/** sacreBLEU's sufficient statistics of one segment: lengths, matches and totals per order. */
interface SegmentStats {
  readonly hypLength: number;
  readonly refLength: number;
  readonly correct: readonly number[];
  readonly total: readonly number[];
}

export interface BleuOptions {
  /** sacreBLEU's `lowercase` (`-lc`): compare lower-cased text. Default false. */
  readonly lowercase?: boolean;
}

function preprocess(segment: string, lowercase: boolean): string[] {
  return tokenize13a(lowercase ? segment.toLowerCase() : segment);
}

/** sacreBLEU's `_get_closest_ref_len`: the closest reference length, the shorter one on ties. */
function closestReferenceLength(hypLength: number, refLengths: readonly number[]): number {
  let best = -1;
  let bestDiff = -1;
  for (const length of refLengths) {
    const diff = Math.abs(hypLength - length);
    if (bestDiff === -1 || diff < bestDiff || (diff === bestDiff && length < best)) {
      bestDiff = diff;
      best = length;
    }
  }
  return best;
}

function segmentStats(prediction: string, references: readonly string[], lowercase: boolean): SegmentStats {
  // sacreBLEU drops empty references (variable reference counts).
  const refs = references.filter((ref) => ref !== '').map((ref) => preprocess(ref, lowercase));
  const refMax = new Map<string, number>();
  for (const ref of refs) {
    for (const [key, count] of countNgrams(ref, 1, maxOrder)) refMax.set(key, Math.max(refMax.get(key) ?? 0, count));
  }
  const hyp = preprocess(prediction, lowercase);
  const correct = new Array<number>(maxOrder).fill(0);
  const total = new Array<number>(maxOrder).fill(0);
  for (const [key, count] of countNgrams(hyp, 1, maxOrder)) {
    const n = ngramOrder(key) - 1;
    total[n] += count;
    correct[n] += Math.min(count, refMax.get(key) ?? 0);
  }
  return { hypLength: hyp.length, refLength: closestReferenceLength(hyp.length, refs.map((ref) => ref.length)), correct, total };
}

/** sacreBLEU's `BLEU.compute_bleu` with 'exp' smoothing (its default), on the 0-100 scale. */
export function bleuFromStats(stats: SegmentStats, effectiveOrder: boolean): number {
  const { hypLength, refLength, correct, total } = stats;
  if (!correct.some((count) => count > 0)) return 0;
  const brevityPenalty = hypLength < refLength ? (hypLength > 0 ? Math.exp(1 - refLength / hypLength) : 0) : 1;
  const precisions = new Array<number>(maxOrder).fill(0);
  let smooth = 1;
  let order = maxOrder;
  for (let n = 1; n <= maxOrder; n += 1) {
    if (total[n - 1] === 0) break;
    if (effectiveOrder) order = n;
    if (correct[n - 1] === 0) {
      smooth *= 2;
      precisions[n - 1] = 100 / (smooth * total[n - 1]);
    } else {
      precisions[n - 1] = (100 * correct[n - 1]) / total[n - 1];
    }
  }
  // sacreBLEU's my_log: log(0) is a huge negative number, not -Infinity.
  const logSum = precisions.slice(0, order).reduce((sum, p) => sum + (p === 0 ? -9999999999 : Math.log(p)), 0);
  return brevityPenalty * Math.exp(logSum / order);
}

function sumStats(all: readonly SegmentStats[]): SegmentStats {
  const add = (pick: (s: SegmentStats) => readonly number[]) => Array.from({ length: maxOrder }, (_, n) => all.reduce((sum, s) => sum + pick(s)[n], 0));
  return {
    hypLength: all.reduce((sum, s) => sum + s.hypLength, 0),
    refLength: all.reduce((sum, s) => sum + s.refLength, 0),
    correct: add((s) => s.correct),
    total: add((s) => s.total),
  };
}

/** `sacrebleu.corpus_bleu(predictions, references).score` (0-100) with sacreBLEU's defaults. */
export function corpusBleu(predictions: readonly string[], references: readonly (readonly string[])[], options: BleuOptions = {}): number {
  const stats = predictions.map((prediction, i) => segmentStats(prediction, references[i], options.lowercase ?? false));
  return bleuFromStats(sumStats(stats), false);
}

/** `sacrebleu.sentence_bleu(prediction, references).score` (0-100): exp smoothing, effective order. */
export function sentenceBleu(prediction: string, references: readonly string[], options: BleuOptions = {}): number {
  return bleuFromStats(segmentStats(prediction, references, options.lowercase ?? false), true);
}
