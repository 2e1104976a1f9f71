import { pythonRstrip, pythonSplit } from './python-strings';

// sacreBLEU's TokenizerRegexp: the mteval-v13a rules, applied in this order.
const rules: readonly (readonly [RegExp, string])[] = [
  // Most ASCII punctuation and symbols become tokens of their own.
  [/([{-~[-` -&(-+:-@/])/g, ' $1 '],
  // Period and comma are split off unless they sit between digits.
  [/([^0-9])([.,])/g, '$1 $2 '],
  [/([.,])([^0-9])/g, ' $1 $2'],
  // A dash after a digit is split off.
  [/([0-9])(-)/g, '$1 $2 '],
];

/**
 * sacreBLEU's default `13a` tokenizer (Tokenizer13a, the mteval-v13a.pl rules), including the
 * `rstrip` sacreBLEU applies to every segment before tokenizing. Returns the tokens.
 */
export function tokenize13a(segment: string): string[] {
  let line = pythonRstrip(segment)
    .replaceAll('<skipped>', '')
    .replaceAll('-\n', '')
    .replaceAll('\n', ' ');
  if (line.includes('&')) {
    line = line.replaceAll('&quot;', '"').replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>');
  }
  line = ` ${line} `;
  for (const [pattern, replacement] of rules) line = line.replace(pattern, replacement);
  return pythonSplit(line);
}
