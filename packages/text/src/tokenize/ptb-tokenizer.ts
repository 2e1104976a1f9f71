import { ptbRules, type PtbAction } from './ptb-patterns';

/** Backslash-escapes `char` unless already escaped, as PTBLexer's `delimit` does. */
function delimit(text: string, char: string): string {
  let result = '';
  for (let i = 0; i < text.length; i += 1) {
    if (text[i] === char && (i === 0 || text[i - 1] !== '\\')) result += '\\';
    result += text[i];
  }
  return result;
}

/** PTBLexer's `latexQuotes`: straight quotes by guessed side, curly ones by their own side. */
function latexQuotes(text: string, probablyLeft: boolean): string {
  let out = probablyLeft
    ? text.replace(/&apos;|'/g, '`').replace(/"|&quot;/g, '``')
    : text.replace(/&apos;|'/g, "'").replace(/"|&quot;/g, "''");
  out = out.replace(/[\u0091\u2018\u201B\u2039]/g, '`').replace(/[\u0092\u2019\u203A]/g, "'");
  return out.replace(/[\u0093\u201C\u00AB]/g, '``').replace(/[\u0094\u201D\u00BB]/g, "''");
}

function render(action: PtbAction, text: string, following: string): string | undefined {
  switch (action) {
    case 'skip':
      return undefined;
    case 'mdash':
      return '--';
    case 'amp':
      return '&';
    case 'escapeSlash':
      return delimit(text, '/');
    case 'escapeSlashAsterisk':
      return delimit(delimit(text, '/'), '*');
    case 'escapeAsterisk':
      return delimit(text, '*');
    case 'fraction':
      return delimit(text, '/').replaceAll(' ', '\u00A0');
    case 'quote':
      return latexQuotes(text, false);
    case 'leftQuote':
      return latexQuotes(text, true);
    case 'doubleQuote':
      return latexQuotes(text, /^[A-Za-z0-9$]/.test(following));
    case 'hyphens':
      return text.length >= 3 && text.length <= 4 ? '--' : text;
    case 'ellipsis':
      return '...';
    case 'openParen':
      return '-LRB-';
    case 'closeParen':
      return '-RRB-';
    case 'openBrace':
      return '-LCB-';
    case 'closeBrace':
      return '-RCB-';
    case 'currency':
      return text.replace('\u00A2', 'cents').replace('\u00A3', '#').replace(/[\u0080\u00A4\u20A0\u20AC]/, '$');
    default:
      return text.replaceAll('\u00AD', '');
  }
}

/**
 * Tokenizes one line as Stanford CoreNLP 3.4.1's `PTBTokenizer` does with its default options
 * (PTB3 escaping: `-LRB-`, latex quotes, `--`, `...`, escaped `/` and `*`). Covered: words,
 * contractions (`do n't`, `ca n't`, `can not`, `I 'm`, possessive `'s`), hyphenated words,
 * numbers with commas and decimals, dates, fractions, currency, URLs and e-mails, quotes,
 * brackets, the lexer's abbreviation lists and acronyms, sentence-final periods. Not covered:
 * `Americanize` (British to American spellings), SGML entities beyond `&amp;`/`&quot;`/`&apos;`,
 * phone numbers. Characters no rule matches are dropped, as the tokenizer's default does.
 */
export function ptbTokenize(line: string): string[] {
  const tokens: string[] = [];
  let position = 0;
  while (position < line.length) {
    let best: { length: number; main: string; action: PtbAction } | undefined;
    for (const { pattern, action } of ptbRules) {
      pattern.lastIndex = position;
      const match = pattern.exec(line);
      if (match && match[0].length > (best?.length ?? 0)) {
        best = { length: match[0].length, main: match.groups?.main ?? match[0], action };
      }
    }
    if (best === undefined) {
      position += (line.codePointAt(position) ?? 0) > 0xffff ? 2 : 1;
      continue;
    }
    let consumed = best.main.length;
    let text = best.main;
    if (best.action === 'cannot') {
      text = text.slice(0, 3);
      consumed = 3;
    } else if (best.action === 'abbrevSentEnd') {
      consumed -= 1;
    }
    const token = render(best.action, text, line.slice(position + consumed));
    if (token !== undefined && token.length > 0) tokens.push(token);
    position += consumed;
  }
  return tokens;
}

/** pycocoevalcap's PTBTokenizer punctuation list, removed after tokenizing. */
const cocoPunctuation = new Set(["''", "'", '``', '`', '-LRB-', '-RRB-', '-LCB-', '-RCB-', '.', '?', '!', ',', ':', '-', '--', '...', ';']);

/**
 * pycocoevalcap's `PTBTokenizer.tokenize` for one caption: newlines become spaces, Stanford's
 * tokenizer runs with `-preserveLines -lowerCase`, then its punctuation list is dropped. The list
 * holds `-LRB-` in upper case while `-lowerCase` has already produced `-lrb-`, so brackets
 * survive as `-lrb-`/`-rrb-`, exactly as in pycocoevalcap's output.
 */
export function cocoPtbTokenize(caption: string): string[] {
  return ptbTokenize(caption.replaceAll('\n', ' '))
    .map((token) => token.toLowerCase())
    .filter((token) => !cocoPunctuation.has(token));
}
