/**
 * How deeply `text` nests arrays and objects, stopping as soon as it passes `limit` (returns
 * `limit + 1` then). Brackets inside strings do not count. One pass over the raw text, no
 * recursion: it runs before `JSON.parse`, because code that walks a parsed value recursively
 * (`JSON.stringify` in an error message, for one) overflows the stack on a value nested 100,000
 * deep, and the request would end in a 500 instead of a clear refusal.
 */
export function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      depth++;
      if (depth > deepest) deepest = depth;
      if (deepest > limit) return deepest;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) {
      depth--;
    }
  }
  return deepest;
}
