import { englishAbbreviations } from './punkt-abbreviations';
import { firstPass, punktToken, secondPass, type PunktToken } from './punkt-token';
import { pythonRstrip } from './python-strings';

// NLTK's PunktSentenceTokenizer.tokenize (punkt.py, NLTK 3.8): candidate boundaries from the
// period-context regex, a decision per candidate from the annotated tokens around it, then
// realignment of closing quotes and brackets.
const nonWord = `(?:[)";}\\]*:@'({[?!])`;
const multiChar = '(?:-{2,}|\\.{2,}|(?:\\.\\s){2,}\\.)';
const wordStart = '[^("`{[:;&#*@)}\\],-]';
const wordPattern = new RegExp(
  `${multiChar}|(?=${wordStart})\\S+?(?=\\s|$|${nonWord}|${multiChar}|,(?=$|\\s|${nonWord}|${multiChar}))|\\S`,
  'gu',
);
const periodContext = new RegExp(`[.?!](?=(?<after>${nonWord}|\\s+(?<next>\\S+)))`, 'gu');
const boundaryRealignment = /["')\]}]+?(?:\s+|(?=--)|$)/muy;
// Python's string.whitespace, which Punkt uses to find the word before a candidate.
const asciiWhitespace = new Set([' ', '\t', '\n', '\r', '\x0b', '\x0c']);

interface Candidate {
  readonly end: number;
  readonly nextTokenStart?: number;
  readonly context: string;
}

function tokenizeWords(text: string): PunktToken[] {
  return text
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .flatMap((line) => (line.match(wordPattern) ?? []).map(punktToken));
}

function containsSentenceBreak(context: string, abbreviations: ReadonlySet<string>): boolean {
  const tokens = tokenizeWords(context);
  for (const token of tokens) firstPass(token, abbreviations);
  for (let i = 0; i < tokens.length; i += 1) secondPass(tokens[i], tokens[i + 1]);
  // A break on the last token does not count: the context ends there.
  return tokens.slice(0, -1).some((token) => token.sentbreak);
}

function lastWhitespaceIndex(text: string): number {
  for (let i = text.length - 1; i >= 0; i -= 1) if (asciiWhitespace.has(text[i])) return i;
  return 0;
}

function candidates(text: string): Candidate[] {
  const found: Candidate[] = [];
  let previous: { match: RegExpExecArray; start: number; stop: number } | undefined;
  let previousSlice = { start: 0, stop: 0 };
  const describe = (match: RegExpExecArray, slice: { start: number; stop: number }): Candidate => {
    const after = match.groups?.after ?? '';
    const next = match.groups?.next;
    return {
      end: match.index + 1,
      nextTokenStart: next === undefined ? undefined : match.index + 1 + after.length - next.length,
      context: text.slice(slice.start, slice.stop) + match[0] + after,
    };
  };
  for (const match of text.matchAll(periodContext)) {
    const execMatch = match as RegExpExecArray;
    const whitespaceAt = lastWhitespaceIndex(text.slice(previousSlice.stop, match.index));
    const wordStartAt = whitespaceAt ? whitespaceAt + previousSlice.stop + 1 : previousSlice.start;
    const wordSlice = { start: wordStartAt, stop: match.index };
    if (previous && previousSlice.stop <= wordSlice.start) found.push(describe(previous.match, previousSlice));
    previous = { match: execMatch, ...wordSlice };
    previousSlice = wordSlice;
  }
  if (previous) found.push(describe(previous.match, previousSlice));
  return found;
}

function sentenceSlices(text: string, abbreviations: ReadonlySet<string>): [number, number][] {
  const slices: [number, number][] = [];
  let lastBreak = 0;
  for (const candidate of candidates(text)) {
    if (containsSentenceBreak(candidate.context, abbreviations)) {
      slices.push([lastBreak, candidate.end]);
      lastBreak = candidate.nextTokenStart ?? candidate.end;
    }
  }
  slices.push([lastBreak, pythonRstrip(text).length]);
  return slices;
}

function realign(text: string, slices: readonly [number, number][]): [number, number][] {
  const result: [number, number][] = [];
  let shift = 0;
  slices.forEach(([start, stop], i) => {
    const first: [number, number] = [start + shift, stop];
    const second = slices[i + 1];
    if (second === undefined) {
      if (first[1] > first[0]) result.push(first);
      return;
    }
    boundaryRealignment.lastIndex = 0;
    const match = boundaryRealignment.exec(text.slice(second[0], second[1]));
    if (match) {
      result.push([first[0], second[0] + match[0].trimEnd().length]);
      shift = match[0].length;
    } else {
      shift = 0;
      if (first[1] > first[0]) result.push(first);
    }
  });
  return result;
}

/**
 * Splits text into sentences as NLTK's `sent_tokenize` does, with Punkt's algorithm and the
 * abbreviation list in `punkt-abbreviations.ts` standing in for the trained English model.
 */
export function punktSentences(text: string, abbreviations: ReadonlySet<string> = englishAbbreviations): string[] {
  return realign(text, sentenceSlices(text, abbreviations)).map(([start, stop]) => text.slice(start, stop));
}
