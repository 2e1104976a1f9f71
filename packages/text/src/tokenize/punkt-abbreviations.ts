/**
 * Abbreviations (lower-case, final period removed, as Punkt stores them) that do not end a
 * sentence. NLTK's trained English Punkt model (a pickle in nltk_data) is not available as a
 * package, so this hand-made list of common English abbreviations stands in for its learned
 * `abbrev_types`; the reference script runs NLTK's own Punkt code with this same list.
 */
export const englishAbbreviations: ReadonlySet<string> = new Set([
  'mr', 'mrs', 'ms', 'dr', 'prof', 'sr', 'jr', 'st', 'mt', 'ave', 'blvd', 'rd',
  'co', 'corp', 'inc', 'ltd', 'bros', 'vs', 'etc', 'e.g', 'i.e', 'u.s', 'u.k', 'a.m', 'p.m',
  'jan', 'feb', 'apr', 'jun', 'jul', 'aug', 'sept', 'oct', 'nov', 'dec',
  'gen', 'col', 'lt', 'sgt', 'capt', 'rev', 'gov', 'sen', 'rep', 'fig', 'approx', 'dept', 'vol',
]);
