import { porterStem, type WordNet } from '@rlgf/text';

export interface MeteorParameters {
  readonly alpha?: number;
  readonly beta?: number;
  readonly gamma?: number;
}

type Enumerated = [index: number, word: string][];
type Match = [hypothesisIndex: number, referenceIndex: number];

/**
 * NLTK's `_match_enums`: scanning both lists from the end, pair equal words and remove them.
 * The lists are mutated, as in NLTK, so later stages see only what is left.
 */
function matchEnums(hypothesis: Enumerated, reference: Enumerated, same: (hyp: string, ref: string) => boolean): Match[] {
  const matches: Match[] = [];
  for (let i = hypothesis.length - 1; i >= 0; i -= 1) {
    for (let j = reference.length - 1; j >= 0; j -= 1) {
      if (same(hypothesis[i][1], reference[j][1])) {
        matches.push([hypothesis[i][0], reference[j][0]]);
        hypothesis.splice(i, 1);
        reference.splice(j, 1);
        break;
      }
    }
  }
  return matches;
}

function countChunks(matches: readonly Match[]): number {
  let chunks = 1;
  for (let i = 0; i < matches.length - 1; i += 1) {
    const adjacent = matches[i + 1][0] === matches[i][0] + 1 && matches[i + 1][1] === matches[i][1] + 1;
    if (!adjacent) chunks += 1;
  }
  return chunks;
}

/** NLTK 3.8 `single_meteor_score(reference, hypothesis)` on pre-tokenized input. */
export function singleMeteorScore(reference: readonly string[], hypothesis: readonly string[], wordnet: WordNet, parameters: MeteorParameters = {}): number {
  const { alpha = 0.9, beta = 3, gamma = 0.5 } = parameters;
  let hyp: Enumerated = hypothesis.map((word, i) => [i, word.toLowerCase()]);
  let ref: Enumerated = reference.map((word, i) => [i, word.toLowerCase()]);
  const exact = matchEnums(hyp, ref, (a, b) => a === b);
  // NLTK continues with the *stemmed* leftovers, so the synonym stage looks up stems.
  hyp = hyp.map(([i, word]) => [i, porterStem(word)]);
  ref = ref.map(([i, word]) => [i, porterStem(word)]);
  const stemmed = matchEnums(hyp, ref, (a, b) => a === b);
  const synonyms = matchEnums(hyp, ref, (hypWord, refWord) => hypWord === refWord || wordnet.synonyms(hypWord).has(refWord) && !refWord.includes('_'));
  const matches = [...exact, ...stemmed, ...synonyms].sort((a, b) => a[0] - b[0]);
  const matchCount = matches.length;
  if (hypothesis.length === 0 || reference.length === 0 || matchCount === 0) return 0;
  const precision = matchCount / hypothesis.length;
  const recall = matchCount / reference.length;
  const fmean = (precision * recall) / (alpha * precision + (1 - alpha) * recall);
  const fragmentation = countChunks(matches) / matchCount;
  return (1 - gamma * fragmentation ** beta) * fmean;
}

/** NLTK 3.8 `meteor_score(references, hypothesis)`: the best score over the references. */
export function meteorScore(references: readonly (readonly string[])[], hypothesis: readonly string[], wordnet: WordNet, parameters: MeteorParameters = {}): number {
  return Math.max(...references.map((reference) => singleMeteorScore(reference, hypothesis, wordnet, parameters)));
}
