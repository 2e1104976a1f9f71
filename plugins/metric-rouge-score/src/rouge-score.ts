import { countNgrams, lcsLength, lcsTable, porterStem } from '@rlgf/text';

export interface RougeOptions {
  /** Porter-stem tokens longer than 3 characters (rouge-score's `use_stemmer`). Default true. */
  readonly useStemmer?: boolean;
}

export interface RougeScores {
  readonly rouge1: number;
  readonly rouge2: number;
  readonly rougeL: number;
  readonly rougeLsum: number;
}

export const rougeTypes = ['rouge1', 'rouge2', 'rougeL', 'rougeLsum'] as const;

/** rouge-score's tokenize: lower-case, non-[a-z0-9] to spaces, stem words longer than 3 chars. */
export function rougeTokenize(text: string, useStemmer: boolean): string[] {
  const tokens = text.toLowerCase().replace(/[^a-z0-9]+/g, ' ').split(/\s+/);
  return tokens.map((token) => (useStemmer && token.length > 3 ? porterStem(token) : token)).filter((token) => /^[a-z0-9]+$/.test(token));
}

function fmeasure(precision: number, recall: number): number {
  return precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
}

function ngramF(target: readonly string[], prediction: readonly string[], n: number): number {
  const targetCounts = countNgrams(target, n, n);
  const predictionCounts = countNgrams(prediction, n, n);
  let overlap = 0;
  for (const [key, count] of targetCounts) overlap += Math.min(count, predictionCounts.get(key) ?? 0);
  const sum = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);
  return fmeasure(overlap / Math.max(sum(predictionCounts), 1), overlap / Math.max(sum(targetCounts), 1));
}

function lcsF(target: readonly string[], prediction: readonly string[]): number {
  if (target.length === 0 || prediction.length === 0) return 0;
  const lcs = lcsLength(target, prediction);
  return fmeasure(lcs / prediction.length, lcs / target.length);
}

/** Indices into `ref` of one LCS with `candidate`, read back as rouge-score's `_backtrack_norec` does. */
function lcsIndices(ref: readonly string[], candidate: readonly string[]): number[] {
  const table = lcsTable(ref, candidate);
  const indices: number[] = [];
  let i = ref.length;
  let j = candidate.length;
  while (i > 0 && j > 0) {
    if (ref[i - 1] === candidate[j - 1]) {
      indices.unshift(i - 1);
      i -= 1;
      j -= 1;
    } else if (table[i][j - 1] > table[i - 1][j]) {
      j -= 1;
    } else {
      i -= 1;
    }
  }
  return indices;
}

/** rouge-score's `_summary_level_lcs` (ROUGE-Lsum): union LCS per reference sentence, no double counting. */
function summaryLcsF(refSentences: readonly string[][], candidateSentences: readonly string[][]): number {
  const m = refSentences.reduce((sum, s) => sum + s.length, 0);
  const n = candidateSentences.reduce((sum, s) => sum + s.length, 0);
  if (refSentences.length === 0 || candidateSentences.length === 0 || m === 0 || n === 0) return 0;
  const count = (sentences: readonly string[][]) => {
    const counts = new Map<string, number>();
    for (const token of sentences.flat()) counts.set(token, (counts.get(token) ?? 0) + 1);
    return counts;
  };
  const refCounts = count(refSentences);
  const candidateCounts = count(candidateSentences);
  let hits = 0;
  for (const ref of refSentences) {
    const union = [...new Set(candidateSentences.flatMap((candidate) => lcsIndices(ref, candidate)))].sort((a, b) => a - b);
    for (const token of union.map((index) => ref[index])) {
      if ((candidateCounts.get(token) ?? 0) > 0 && (refCounts.get(token) ?? 0) > 0) {
        hits += 1;
        candidateCounts.set(token, (candidateCounts.get(token) as number) - 1);
        refCounts.set(token, (refCounts.get(token) as number) - 1);
      }
    }
  }
  return fmeasure(hits / n, hits / m);
}

/** `RougeScorer([...], use_stemmer).score(target, prediction)` F-measures. */
export function rougeScore(target: string, prediction: string, options: RougeOptions = {}): RougeScores {
  const useStemmer = options.useStemmer ?? true;
  const targetTokens = rougeTokenize(target, useStemmer);
  const predictionTokens = rougeTokenize(prediction, useStemmer);
  // rougeLsum treats newlines as sentence boundaries.
  const sentences = (text: string) => text.split('\n').filter((s) => s.length > 0).map((s) => rougeTokenize(s, useStemmer));
  return {
    rouge1: ngramF(targetTokens, predictionTokens, 1),
    rouge2: ngramF(targetTokens, predictionTokens, 2),
    rougeL: lcsF(targetTokens, predictionTokens),
    rougeLsum: summaryLcsF(sentences(target), sentences(prediction)),
  };
}

/** `RougeScorer.score_multi(targets, prediction)`: per ROUGE type, the first reference with the best F. */
export function rougeScoreMulti(targets: readonly string[], prediction: string, options: RougeOptions = {}): RougeScores {
  const all = targets.map((target) => rougeScore(target, prediction, options));
  const best = (type: (typeof rougeTypes)[number]) => all.reduce((max, scores) => (scores[type] > max ? scores[type] : max), all[0][type]);
  return { rouge1: best('rouge1'), rouge2: best('rouge2'), rougeL: best('rougeL'), rougeLsum: best('rougeLsum') };
}
