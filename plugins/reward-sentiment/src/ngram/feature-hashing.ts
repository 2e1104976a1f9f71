/** 32-bit FNV-1a over the UTF-16 code units of `text`. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * The hashed n-gram features of a word sequence: every n-gram for n = 1..`maxN` (words joined by
 * one space) hashed into `buckets`, each bucket counted once (binary features), sorted.
 */
export function hashedNgrams(words: readonly string[], maxN: number, buckets: number): Int32Array {
  const present = new Set<number>();
  for (let start = 0; start < words.length; start += 1) {
    let gram = '';
    for (let n = 1; n <= maxN && start + n <= words.length; n += 1) {
      gram = n === 1 ? words[start] : `${gram} ${words[start + n - 1]}`;
      present.add(fnv1a32(gram) % buckets);
    }
  }
  return Int32Array.from(present).sort();
}
