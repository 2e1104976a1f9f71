import { wordNetPosList, wordTokenize, type WordNet } from '@rlgf/text';

/** The prediction's word forms plus their WordNet base forms (morphy over noun, verb, adjective, adverb). */
export function lemmaSet(prediction: string, wordnet: WordNet): Set<string> {
  const lemmas = new Set<string>();
  for (const token of wordTokenize(prediction)) {
    const lowered = token.toLowerCase();
    lemmas.add(lowered);
    for (const pos of wordNetPosList) for (const base of wordnet.morphy(lowered, pos)) lemmas.add(base);
  }
  return lemmas;
}

/**
 * Share of `concepts` present in the prediction: a concept counts when it equals a lower-cased
 * token of the prediction or one of that token's WordNet morphy base forms ("ran" covers "run",
 * "dogs" covers "dog"). Multi-word concepts need all their words.
 */
export function conceptCoverage(prediction: string, concepts: readonly string[], wordnet: WordNet): number {
  if (concepts.length === 0) return 0;
  const lemmas = lemmaSet(prediction, wordnet);
  const covered = concepts.filter((concept) => concept.toLowerCase().split(/\s+/).filter(Boolean).every((word) => lemmas.has(word)));
  return covered.length / concepts.length;
}
