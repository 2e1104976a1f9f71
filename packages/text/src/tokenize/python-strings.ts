/**
 * Python's `str.isspace` characters. JavaScript's `\s` differs (it lacks \x1c-\x1f and \x85 and
 * has \ufeff), and the reference implementations split on Python's set.
 */
export const pythonWhitespaceClass = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

const runOfWhitespace = new RegExp(`[${pythonWhitespaceClass}]+`, 'u');
const leadingWhitespace = new RegExp(`^[${pythonWhitespaceClass}]+`, 'u');
const trailingWhitespace = new RegExp(`[${pythonWhitespaceClass}]+$`, 'u');

/** Python's `text.split()`: split on runs of whitespace, dropping empty pieces. */
export function pythonSplit(text: string): string[] {
  return text.split(runOfWhitespace).filter((piece) => piece.length > 0);
}

/** Python's `text.rstrip()`. */
export function pythonRstrip(text: string): string {
  return text.replace(trailingWhitespace, '');
}

/** Python's `text.strip()`. */
export function pythonStrip(text: string): string {
  return pythonRstrip(text).replace(leadingWhitespace, '');
}

/** Python 3's `\w` on `str` patterns: Unicode letters, digits and the underscore. */
export const pythonWordClass = '\\p{L}\\p{N}_';
