/**
 * `text` cut before the earliest occurrence of any stop string, and whether one
 * occurred. Empty stop strings never match.
 */
export function cutAtStop(text: string, stops: readonly string[]): { readonly text: string; readonly stopped: boolean } {
  let cut = -1;
  for (const stop of stops) {
    if (stop === '') continue;
    const at = text.indexOf(stop);
    if (at !== -1 && (cut === -1 || at < cut)) cut = at;
  }
  return cut === -1 ? { text, stopped: false } : { text: text.slice(0, cut), stopped: true };
}
