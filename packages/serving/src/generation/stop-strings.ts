/**
 * `text` cut before the earliest occurrence of any stop string, and whether one
 * occurred. Empty stop strings never match, nor do occurrences that end within the first
 * `protectedChars` characters (the text of a row's `minNewTokens`, which stop strings may not end).
 */
export function cutAtStop(text: string, stops: readonly string[], protectedChars = 0): { readonly text: string; readonly stopped: boolean } {
  let cut = -1;
  for (const stop of stops) {
    if (stop === '') continue;
    const at = text.indexOf(stop, Math.max(0, protectedChars - stop.length + 1));
    if (at !== -1 && (cut === -1 || at < cut)) cut = at;
  }
  return cut === -1 ? { text, stopped: false } : { text: text.slice(0, cut), stopped: true };
}
