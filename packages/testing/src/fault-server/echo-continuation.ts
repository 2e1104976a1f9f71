const words = ['the', 'film', 'was', 'good', 'and', 'I', 'liked', 'its', 'story', 'cast', 'music', 'ending'];

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  // MurmurHash3's finalizer: FNV alone leaves the low bits (used by `%`) poorly mixed.
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

/**
 * The continuation the completion server writes by default: `min(maxTokens, 8)` words, each
 * with a leading space, picked by a hash of the prompt, the seed and the position. Deterministic,
 * so a test can predict it, and different for different prompts or seeds.
 */
export function echoContinuation(prompt: string, seed: number, maxTokens: number): string {
  const count = Math.max(0, Math.min(maxTokens, 8));
  let text = '';
  for (let i = 0; i < count; i++) text += ` ${words[fnv1a(`${seed}\u0000${prompt}\u0000${i}`) % words.length]}`;
  return text;
}
