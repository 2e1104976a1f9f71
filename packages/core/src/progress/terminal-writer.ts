/** What a progress bar writes before each redraw: back to the line start, erase the line. */
export const redrawLine = '\r\x1b[2K';

/**
 * One terminal stream shared by a progress bar and log lines. The bar is a line without a
 * newline, redrawn in place; a log line written after it would be glued onto its end. This
 * writer remembers the bar, erases it before any other line and draws it again below, so log
 * lines scroll above the bar. Progress `finish` (a lone newline) leaves the bar as it is.
 */
export function createTerminalWriter(write: (text: string) => void): (text: string) => void {
  let bar: string | undefined;
  return (text) => {
    if (text.startsWith(redrawLine)) {
      bar = text;
      write(text);
      return;
    }
    if (bar === undefined) {
      write(text);
      return;
    }
    if (text === '\n') {
      bar = undefined;
      write(text);
      return;
    }
    write(`${redrawLine}${text}${text.endsWith('\n') ? '' : '\n'}${bar}`);
  };
}
