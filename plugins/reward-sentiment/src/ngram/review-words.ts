/** The name checkpoints record for this word tokenizer; change it whenever its output changes. */
export const reviewWordsTokenizer = 'review-words-v1';

const breakTag = /<br\s*\/?>/gi;
// Words (letters and digits, Latin accented letters included) with inner apostrophes ("don't",
// "movie's"), and the two punctuation marks that carry sentiment on their own.
const wordPattern = /[a-z0-9\u00c0-\u024f]+(?:'[a-z0-9\u00c0-\u024f]+)*|[!?]/g;

/**
 * The words of a review as the n-gram classifier sees them: lower-cased, `<br />` tags dropped,
 * other punctuation ignored except `!` and `?`.
 */
export function reviewWords(text: string): string[] {
  return text.replace(breakTag, ' ').toLowerCase().match(wordPattern) ?? [];
}
