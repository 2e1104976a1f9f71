/** How `<br />` tags of the raw reviews are rendered. */
export type LineBreakMode = 'newline' | 'space';

const breakTag = /<br\s*\/?>/gi;

/**
 * The review as plain text. IMDB reviews mark line breaks with HTML `<br />` tags (`<br /><br />`
 * between paragraphs). With `newline` each tag becomes a line break, so paragraphs stay apart as
 * `\n\n`; with `space` the whole review becomes one line. Then whitespace is normalised: runs of
 * spaces and tabs become one space, lines are trimmed, at most one empty line is kept between
 * paragraphs, and the text is trimmed.
 */
export function cleanReview(text: string, lineBreaks: LineBreakMode = 'newline'): string {
  const broken = text.replace(breakTag, lineBreaks === 'newline' ? '\n' : ' ');
  if (lineBreaks === 'space') return broken.replace(/\s+/g, ' ').trim();
  return broken
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
