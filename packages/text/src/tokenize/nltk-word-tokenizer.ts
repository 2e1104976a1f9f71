import { pythonSplit, pythonWordClass } from './python-strings';

// NLTK 3.8's NLTKWordTokenizer (nltk/tokenize/destructive.py), the tokenizer behind
// `word_tokenize`. Python's `\w`, `\b`, `\d` and `$` are spelled out because JavaScript's are
// ASCII-only or match only at the very end.
const w = `[${pythonWordClass}]`;
const notW = `(?![${pythonWordClass}])`;
const boundaryBefore = `(?<![${pythonWordClass}])`;
// Python's `$` also matches just before a final newline.
const end = '(?=\\n?$)';

type Rule = readonly [RegExp, string];

const startingQuotes: readonly Rule[] = [
  [/([«“‘„]|[`]+)/gu, ' $1 '],
  [/^"/u, '``'],
  [/(``)/gu, ' $1 '],
  [/([ ([{<])("|'{2})/gu, '$1 `` '],
  [new RegExp(`(')(?!re|ve|ll|m|t|s|d|n)(${w})${notW}`, 'giu'), '$1 $2'],
];

const endingQuotes: readonly Rule[] = [
  [/([»”’])/gu, ' $1 '],
  [/''/gu, " '' "],
  [/"/gu, " '' "],
  [/([^' ])('[sS]|'[mM]|'[dD]|') /gu, '$1 $2 '],
  [/([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) /gu, '$1 $2 '],
];

const punctuation: readonly Rule[] = [
  [new RegExp(`([^.])(\\.)([\\])}>"'»”’ ]*)\\s*${end}`, 'gu'), '$1 $2 $3 '],
  [/([:,])([^\p{Nd}])/gu, ' $1 $2'],
  [new RegExp(`([:,])${end}`, 'gu'), ' $1 '],
  [/\.{2,}/gu, ' $& '],
  [/[;@#$%&]/gu, ' $& '],
  [new RegExp(`([^.])(\\.)([\\])}>"']*)\\s*${end}`, 'gu'), '$1 $2$3 '],
  [/[?!]/gu, ' $& '],
  [/([^'])' /gu, "$1 ' "],
  [/[*]/gu, ' $& '],
];

const parensBrackets: Rule = [/[\][(){}<>]/gu, ' $& '];
const doubleDashes: Rule = [/--/gu, ' -- '];

const contractions2: readonly RegExp[] = [
  ['can', 'not'],
  ["d", "'ye"],
  ['gim', 'me'],
  ['gon', 'na'],
  ['got', 'ta'],
  ['lem', 'me'],
  ['more', "'n"],
].map(([first, second]) => new RegExp(`${boundaryBefore}(${first})(${second})${notW}`, 'giu'));
const wanna = /(?<![\p{L}\p{N}_])(wan)(na)(?=\s)/giu;
const contractions3: readonly RegExp[] = [
  new RegExp(` ('t)(is)${notW}`, 'giu'),
  new RegExp(` ('t)(was)${notW}`, 'giu'),
];

function applyAll(text: string, rules: readonly Rule[]): string {
  return rules.reduce((current, [pattern, replacement]) => current.replace(pattern, replacement), text);
}

/** NLTK's `NLTKWordTokenizer().tokenize(text)` for one sentence. */
export function nltkWordTokenizeSentence(sentence: string): string[] {
  let text = applyAll(sentence, startingQuotes);
  text = applyAll(text, punctuation);
  text = applyAll(text, [parensBrackets, doubleDashes]);
  text = ` ${text} `;
  text = applyAll(text, endingQuotes);
  for (const pattern of [...contractions2, wanna]) text = text.replace(pattern, ' $1 $2 ');
  for (const pattern of contractions3) text = text.replace(pattern, ' $1 $2 ');
  return pythonSplit(text);
}
