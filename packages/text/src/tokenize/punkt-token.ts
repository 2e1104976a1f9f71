// The token annotations of NLTK's Punkt (nltk/tokenize/punkt.py, PunktToken and the two
// annotation passes), for a model whose only learned parameter is its abbreviation list: no
// collocations, no frequent sentence starters, no orthographic statistics.

export interface PunktToken {
  readonly tok: string;
  readonly type: string;
  readonly periodFinal: boolean;
  sentbreak: boolean;
  abbr: boolean;
  ellipsis: boolean;
}

const numeric = /^-?[.,]?\p{Nd}[\p{Nd},.-]*\.?$/u;
const initial = /^[\p{L}\p{Nl}\p{No}_]\.$/u;
const ellipsisPattern = /^\.\.+$/u;
const sentEndChars = new Set(['.', '?', '!']);
const orthoPunctuation = new Set([';', ':', ',', '.', '!', '?']);

export function punktToken(tok: string): PunktToken {
  const lowered = tok.toLowerCase();
  return {
    tok,
    type: numeric.test(lowered) ? '##number##' : lowered,
    periodFinal: tok.endsWith('.'),
    sentbreak: false,
    abbr: false,
    ellipsis: false,
  };
}

function typeNoPeriod(token: PunktToken): string {
  return token.type.length > 1 && token.type.endsWith('.') ? token.type.slice(0, -1) : token.type;
}

function firstUpper(token: PunktToken): boolean {
  return /^\p{Lu}/u.test(token.tok);
}

function firstLower(token: PunktToken): boolean {
  return /^\p{Ll}/u.test(token.tok);
}

/** Punkt's first pass: sentence-end characters, ellipses, and period-final words by the abbreviation list. */
export function firstPass(token: PunktToken, abbreviations: ReadonlySet<string>): void {
  if (sentEndChars.has(token.tok)) {
    token.sentbreak = true;
  } else if (ellipsisPattern.test(token.tok)) {
    token.ellipsis = true;
  } else if (token.periodFinal && !token.tok.endsWith('..')) {
    const stem = token.tok.slice(0, -1).toLowerCase();
    const lastPart = stem.split('-').pop() ?? stem;
    if (abbreviations.has(stem) || abbreviations.has(lastPart)) token.abbr = true;
    else token.sentbreak = true;
  }
}

/** The orthographic heuristic with no orthographic statistics: lower-case or punctuation means "not a starter". */
function orthoSaysSentenceStarter(token: PunktToken): boolean | 'unknown' {
  if (orthoPunctuation.has(token.tok)) return false;
  if (firstLower(token)) return false;
  return 'unknown';
}

/** Punkt's second pass over a pair of neighbouring tokens, updating the first. */
export function secondPass(first: PunktToken, next: PunktToken | undefined): void {
  if (next === undefined || !first.periodFinal) return;
  const isInitial = initial.test(first.tok);
  if (!(isInitial || typeNoPeriod(first) === '##number##')) return;
  const starter = orthoSaysSentenceStarter(next);
  if (starter === false || (starter === 'unknown' && isInitial && firstUpper(next))) {
    first.sentbreak = false;
    first.abbr = true;
  }
}
