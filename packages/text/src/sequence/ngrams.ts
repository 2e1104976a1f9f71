// Joins an n-gram's tokens into one Map key; no tokenizer here ever emits this character.
const separator = '\u0001';

/** The Map key of an n-gram. */
export function ngramKey(tokens: readonly string[]): string {
  return tokens.join(separator);
}

/** The order (n) of an n-gram from its key. */
export function ngramOrder(key: string): number {
  let order = 1;
  for (const char of key) if (char === separator) order += 1;
  return order;
}

/** The key of the n-gram without its last token (its (n-1)-gram context). */
export function ngramPrefix(key: string): string {
  const cut = key.lastIndexOf(separator);
  return cut === -1 ? '' : key.slice(0, cut);
}

/** Counts every n-gram of order `minOrder`..`maxOrder` in `tokens`, lower orders first. */
export function countNgrams(tokens: readonly string[], minOrder: number, maxOrder: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let n = minOrder; n <= maxOrder; n += 1) {
    for (let start = 0; start + n <= tokens.length; start += 1) {
      const key = ngramKey(tokens.slice(start, start + n));
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  return counts;
}
