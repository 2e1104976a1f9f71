// Token patterns of Stanford CoreNLP 3.4.1's PTBLexer (the JFlex grammar behind the
// `stanford-corenlp-3.4.1.jar` pycocoevalcap runs), with its default PTB3 escaping. Literal
// strings are case-insensitive (the grammar is `%caseless`) while character classes are not, so
// literals are spelled through `caseless`.

/** `abc` -> `[aA][bB][cC]`: a case-insensitive literal inside an otherwise case-sensitive regex. */
function caseless(literal: string): string {
  return literal.replace(/[a-z]/gi, (char) => `[${char.toLowerCase()}${char.toUpperCase()}]`);
}
const alternatives = (words: readonly string[]): string => words.map(caseless).join('|');

const letter = '\\p{L}';
const digit = '\\p{Nd}';
const space = '[ \\t\\u00A0\\u2000-\\u200A\\u3000]';
const newline = '(?:\\r\\n?|\\n|\\u2028|\\u2029|\\u000B|\\u000C|\\u0085)';
const spaceOrNewline = `(?:${space}|${newline})`;
const apos = "(?:['\\u0092\\u2019]|&apos;)";
const aposEtc = `(?:${apos}|[\\u0091\\u2018\\u201B])`;
const word = `[${letter}\\p{M}\\u00AD]+`;
const redaux = `${apos}(?:[msdMSD]|${alternatives(['re', 've', 'll'])})`;
const sword = '[A-Za-z\\u00AD]*[A-MO-Za-mo-z]\\u00AD*';
const sredaux = `[nN]${aposEtc}[tT]`;
const acro = `[A-Za-z](?:\\.[A-Za-z])+|(?:${alternatives(['Canada', 'Sino', 'Korean', 'EU', 'Japan', 'non'])})-U\\.S|U\\.S\\.-(?:U\\.K|U\\.S\\.S\\.R)`;
const month = alternatives(['Jan', 'Feb', 'Mar', 'Apr', 'Jun', 'Jul', 'Aug', 'Sep', 'Sept', 'Oct', 'Nov', 'Dec']);
const day = alternatives(['Mon', 'Tue', 'Tues', 'Wed', 'Thu', 'Thurs', 'Fri']);
const state = [
  alternatives(['Ala', 'Ariz', 'Calif', 'Colo', 'Conn', 'Dak', 'Del', 'Fla', 'Ga', 'Ind', 'Kan', 'Kans', 'Ky', 'La', 'Md', 'Mich', 'Minn', 'Mo', 'Mont', 'Neb', 'Nev', 'Okla', 'Pa', 'Penn', 'Tenn', 'Tex', 'Va', 'Vt', 'Wis', 'Wisc', 'Wyo']),
  `A${caseless('rk')}`, `I${caseless('ll')}`, `M${caseless('ass')}`, `M${caseless('iss')}`, `O${caseless('re')}`, `W${caseless('ash')}`,
].join('|');
const company = alternatives(['Inc', 'Co', 'Cos', 'Corp', 'Pty', 'Ptys', 'Ppty', 'Pptys', 'Ltd', 'Plc', 'Bancorp', 'Dept', 'Bhd', 'Assn', 'Univ', 'Intl', 'Sys']);
const numberAbbrev = alternatives(['No', 'Nos', 'Prop', 'Ph', 'tel', 'est', 'ext', 'sq', 'ft']);
const postTitle = `${alternatives(['Jr', 'Sr', 'Bros', 'Blvd', 'Rd', 'Esq'])}|${caseless('Ed')}\\.${caseless('D')}|${caseless('Ph')}\\.${caseless('D')}`;
const title = [
  alternatives(['Mr', 'Mrs', 'Ms', 'Dr', 'Drs', 'Prof', 'Profs', 'Sen', 'Sens', 'Rep', 'Reps', 'Atty', 'Attys', 'Lt', 'Col', 'Gen', 'Messrs', 'Gov', 'Govs', 'Adm', 'Rev', 'Maj', 'Sgt', 'Cpl', 'Pvt', 'Mt', 'Capt', 'St', 'Ste', 'Ave', 'Pres', 'Lieut', 'Hon', 'Brig', 'Cmdr', 'Comdr', 'Pfc', 'Spc', 'Supt', 'Supts', 'Det']),
  `M${caseless('iss')}`,
].join('|');
const abbrev1 = `(?:${month}|${day}|${state}|${company}|${numberAbbrev}|${postTitle}|${alternatives(['etc', 'al', 'seq'])})\\.`;
const abbrev4 = `${acro}|${caseless('a')}\\.${caseless('k')}\\.${caseless('a')}|${title}|${alternatives(['vs', 'Alex', 'Wm', 'Jos', 'Cie', 'cf', 'TREAS', 'Invt', 'Elec', 'Natl', 'Mfg', 'Mtg'])}|[A-Za-z]`;
const sentEnd = `${spaceOrNewline}(?:${spaceOrNewline}|[A-Z])`;
const num = `(?:${digit}*(?:[.:,\\u00AD\\u066B\\u066C]${digit}+)+|${digit}+)`;
const letterOrDigit = `[${letter}${digit}]`;
const hyphen = '[-_\\u058A\\u2010\\u2011]';
const elision = `(?:[dDoOlL]${aposEtc}${letterOrDigit})`;
const thing = `${elision}?${letterOrDigit}+(?:${hyphen}${elision}?${letterOrDigit}+)*`;
const hthing = `[A-Za-z0-9][A-Za-z0-9.,\\u00AD]*(?:-(?:[A-Za-z0-9\\u00AD]+|(?:${acro})\\.))+`;
const apoword = [
  // Longest alternatives first: JavaScript takes the first alternative that matches, JFlex the longest.
  `${letter}+[aeiouyAEIOUY]${aposEtc}[aeiouA-Z]${letter}*`, `[A-HJ-XZn]${aposEtc}${letter}{2}${letter}*`,
  alternatives(["cont'd", "'twas", "nor'easter", "c'mon", "e'er", "s'mores", "ev'ry", "li'l", "nat'l"]), `${apos}${caseless('cause')}`,
  `${apos}${caseless('til')}[lL]?`, `${apos}[2-9]0[sS]`, `${apos}${caseless('em')}`, `${apos}[nN]${apos}?`, `[lLdDjJ]${apos}`,
].join('|');
const insentp = '[,;:]';

/** What a rule does with the text it matched. */
export type PtbAction =
  | 'plain' | 'skip' | 'cannot' | 'mdash' | 'amp' | 'escapeSlash' | 'escapeSlashAsterisk' | 'escapeAsterisk'
  | 'quote' | 'leftQuote' | 'doubleQuote' | 'abbrevSentEnd' | 'hyphens' | 'ellipsis'
  | 'openParen' | 'closeParen' | 'openBrace' | 'closeBrace' | 'fraction' | 'currency';

export interface PtbRule {
  /** Sticky regex; the `main` group is the token, anything after it is JFlex trailing context. */
  readonly pattern: RegExp;
  readonly action: PtbAction;
}

const rule = (main: string, action: PtbAction, context = ''): PtbRule => ({
  pattern: new RegExp(`(?<main>${main})${context ? `(?:${context})` : ''}`, 'uy'),
  action,
});

/** The rules in grammar order: the longest match wins, the earlier rule on a tie (as in JFlex). */
export const ptbRules: readonly PtbRule[] = [
  rule(caseless('cannot'), 'cannot'),
  rule('<\\/?[A-Za-z!][^>]*>', 'plain'),
  rule('&(?:MD|mdash|ndash);|[\\u0096\\u0097\\u2013\\u2014\\u2015]', 'mdash'),
  rule('&amp;', 'amp'),
  rule(word, 'plain', redaux),
  rule(sword, 'plain', sredaux),
  rule(word, 'plain'),
  rule(apoword, 'plain'),
  rule(`[yY]${apos}`, 'plain', letter),
  rule(`https?:\\/\\/[^ \\t\\n\\f\\r"<>|()]+[^ \\t\\n\\f\\r"<>|.!?(){},-]`, 'escapeSlashAsterisk'),
  rule(`[a-zA-Z0-9][^ \\t\\n\\f\\r"<>|()\\u00A0]*@(?:[^ \\t\\n\\f\\r"<>|().\\u00A0]+\\.)+[a-zA-Z]{2,4}`, 'plain'),
  rule(redaux, 'quote', '[^A-Za-z]'),
  rule(sredaux, 'quote'),
  rule(`${digit}{1,2}[-/]${digit}{1,2}[-/]${digit}{2,4}`, 'escapeSlash'),
  rule(`[-+]?${num}`, 'plain'),
  rule(`(?:${digit}{1,4}[- \\u00A0])?${digit}{1,4}(?:\\\\?\\/|\\u2044)${digit}{1,4}`, 'fraction'),
  rule('[A-Za-z0-9]+(?:-[A-Za-z]+){0,2}(?:\\\\?\\/[A-Za-z0-9]+(?:-[A-Za-z]+){0,2}){1,2}', 'escapeSlash'),
  rule('[A-Z]*\\$|#', 'plain'),
  rule('[\\u00A2\\u00A3\\u00A4\\u00A5\\u0080\\u20A0\\u20AC\\u060B\\u0E3F\\u20A4\\uFFE0\\uFFE1\\uFFE5\\uFFE6]', 'currency'),
  rule(abbrev1, 'abbrevSentEnd', sentEnd),
  rule(abbrev1, 'plain'),
  rule(`(?:${abbrev4})\\.`, 'plain'),
  rule(abbrev4, 'plain', space),
  rule(acro, 'plain', spaceOrNewline),
  rule(`${word}\\.`, 'plain', insentp),
  rule('"|&quot;', 'doubleQuote'),
  rule('\\+|[%&\\u2030\\u2031]|~|\\^|=', 'plain'),
  rule('\\||\\\\|\\u007f', 'skip'),
  rule('[<[]|&lt;', 'openParen'),
  rule('[>\\]]|&gt;', 'closeParen'),
  rule('\\{', 'openBrace'),
  rule('\\}', 'closeBrace'),
  rule('\\(', 'openParen'),
  rule('\\)', 'closeParen'),
  rule('-+', 'hyphens'),
  rule('\\.{3,5}|(?:\\.[ \\u00A0]){2,4}\\.|[\\u0085\\u2026]', 'ellipsis'),
  rule('@+|#+|_+', 'plain'),
  rule('\\*+|(?:\\\\\\*){1,3}', 'escapeAsterisk'),
  rule(insentp, 'plain'),
  rule('[?!]+', 'plain'),
  rule('[.¡¿\\u037E\\u0589\\u061F\\u06D4\\u0700-\\u0702\\u07FA]', 'plain'),
  rule('\\/', 'escapeSlash'),
  rule(`${hthing}\\.`, 'plain', insentp),
  rule(hthing, 'plain'),
  rule(`${thing}\\.`, 'plain', insentp),
  rule(thing, 'plain'),
  rule("'", 'leftQuote', '[A-Za-z][^ \\t\\n\\r\\u00A0]'),
  rule(redaux, 'quote'),
  rule(`${apos}|''|[\`\\u2018\\u2019\\u201A\\u201B\\u201C\\u201D\\u0091\\u0092\\u0093\\u0094\\u201E\\u201F\\u2039\\u203A\\u00AB\\u00BB]{1,2}`, 'quote'),
  rule('[¦\\u00A7¨\\u00A9\\u00AC\\u00AE¯\\u00B0-\\u00BA\\u00D7\\u00F7\\u2020-\\u2023\\u2032-\\u2038\\u2044\\u2100-\\u214F\\u2190-\\u21FF\\u2200-\\u22FF\\u2600-\\u26FF]', 'plain'),
  rule(`(?:${space}|${newline}|[\\0\\u200B\\u200E\\u200F\\uFEFF])+`, 'skip'),
];
