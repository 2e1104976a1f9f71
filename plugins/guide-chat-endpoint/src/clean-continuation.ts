/** Words of the openers chat models put before an answer ("Sure! Here is the continuation:"). */
const openerWords = /\b(?:sure|certainly|of course|absolutely|here|below|continu\w*)\b/i;
/** A first line that is nothing but an interjection ("Certainly.", "Sure!"). */
const interjection = /^(?:sure|certainly|of course|absolutely|okay|ok|alright)[!.,]?$/i;

/**
 * The length of an opening line of boilerplate: a short first line ending in a colon that speaks
 * about the answer ("Sure! Here is the continuation:", "Here's how the review continues:"), or a
 * lone interjection. A line of story ("Sure enough, the storm came.") is not one.
 */
function openerLength(reply: string): number {
  const match = /^\s*([^\n]*)(?:\n+|$)/.exec(reply);
  const line = match ? match[1].trim() : '';
  const isOpener = (line.endsWith(':') && line.length <= 120 && openerWords.test(line)) || interjection.test(line);
  return isOpener && match ? match[0].length : 0;
}

/** The same opener with the answer on the same line: "Sure! Here is the continuation: and then ...". */
const openerInline = /^\s*(?:sure|certainly|of course|absolutely|okay|ok)[!,.]?\s*(?:here(?:'s| is)[^:\n]{0,60}:)\s*/i;
/** Closers: "I hope this helps!", "Let me know if ...", after a blank line. */
const closer = /\n\s*\n\s*(?:i hope|hope this|let me know|feel free|would you like|if you(?:'d| would) like)[^\n]*\s*$/i;

/** Characters a continuation joined to text ending in a word usually starts after a space. */
const wordStart = /^[\p{L}\p{N}"'“‘([]/u;
const wordEnd = /[\p{L}\p{N}.,;:!?"'”’)\]]$/u;

/** Strips one pair of matching quotes or a code fence around the whole reply. */
function unwrap(text: string): string {
  const fenced = /^```[^\n]*\n([\s\S]*?)\n?```\s*$/.exec(text);
  if (fenced) return fenced[1];
  const pairs: [string, string][] = [
    ['"', '"'],
    ['“', '”'],
    ["'", "'"],
  ];
  for (const [open, close] of pairs) {
    if (text.length >= 2 && text.startsWith(open) && text.endsWith(close) && !text.slice(1, -1).includes(close)) return text.slice(1, -1);
  }
  return text;
}

/** Collapses whitespace runs, for comparing a restatement with the text it restates. */
const squash = (text: string) => text.replace(/\s+/g, ' ');

/**
 * The length of the longest end of `text` that `reply` starts with (whitespace runs compared as
 * one space), counting only overlaps of at least `minChars` characters, in characters of `reply`.
 */
function restatedLength(text: string, reply: string, minChars: number): number {
  const flatText = squash(text);
  const replyStart = reply.trimStart();
  const lead = reply.length - replyStart.length;
  // Positions in `reply` of each character of its squashed form.
  const positions: number[] = [];
  let flatReply = '';
  for (let i = 0; i < replyStart.length; i++) {
    const isSpace = /\s/.test(replyStart[i]);
    if (isSpace && flatReply.endsWith(' ')) continue;
    flatReply += isSpace ? ' ' : replyStart[i];
    positions.push(i);
  }
  const longest = Math.min(flatText.length, flatReply.length);
  for (let length = longest; length >= minChars; length--) {
    const tail = flatText.slice(flatText.length - length).trimStart();
    if (tail.length < minChars) break;
    if (flatReply.startsWith(tail)) return lead + positions[tail.length - 1] + 1;
  }
  return 0;
}

/**
 * What a chat model's reply adds to `text`, the prompt and prefix it was asked to continue (in
 * instruction mode, where models restate and decorate): an opening line of boilerplate and a
 * closing courtesy are dropped, quotes or a code fence around the whole reply are removed, a
 * restatement of the text (all of it, or its last 12 or more characters) is cut, and a space is
 * put back where the text ends a word and the reply starts one (chat replies never start with
 * the space a completions model would write). Whatever is left may be empty: an empty
 * continuation is a valid answer (the guide ends the sample).
 */
export function cleanContinuation(text: string, reply: string): string {
  let result = reply.replace(/\r\n/g, '\n');
  const inline = openerInline.exec(result);
  result = result.slice(inline ? inline[0].length : openerLength(result));
  result = result.replace(closer, '');
  result = unwrap(result.trim());
  const restated = restatedLength(text, result, Math.min(12, squash(text).trim().length || 1));
  if (restated > 0) result = result.slice(restated);
  else result = result.trimStart();
  if (result === '') return '';
  const continuesWord = /^\s/.test(result) || /\s$/.test(text) || text === '';
  if (continuesWord) return result.replace(/^\s+/, text === '' || /\s$/.test(text) ? '' : ' ');
  return wordEnd.test(text) && wordStart.test(result) ? ` ${result}` : result;
}
