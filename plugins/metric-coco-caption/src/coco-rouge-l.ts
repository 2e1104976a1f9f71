import { lcsLength } from '@rlgf/text';

/**
 * pycocoevalcap's Rouge.calc_score (beta 1.2): the best precision and the best recall over the
 * references (each maximised separately), combined into an F-measure.
 */
export function cocoRougeL(test: readonly string[], refs: readonly (readonly string[])[], beta = 1.2): number {
  let bestPrecision = 0;
  let bestRecall = 0;
  for (const ref of refs) {
    const lcs = lcsLength(ref, test);
    bestPrecision = Math.max(bestPrecision, lcs / test.length);
    bestRecall = Math.max(bestRecall, lcs / ref.length);
  }
  if (bestPrecision === 0 || bestRecall === 0) return 0;
  return ((1 + beta ** 2) * bestPrecision * bestRecall) / (bestRecall + beta ** 2 * bestPrecision);
}
