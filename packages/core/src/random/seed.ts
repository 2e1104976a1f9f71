/** Final mixer of MurmurHash3: spreads every input bit over the 32-bit output. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hashLabel(label: string | number, into: number): number {
  const text = typeof label === 'number' ? `#${label}` : label;
  let h = (0x811c9dc5 ^ into) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/**
 * A 32-bit seed for one source of randomness, derived from the run seed and labels naming the
 * source (`deriveSeed(seed, 'switch-step', iteration)`). Independent of how much any other
 * stream was consumed, which is what makes a resumed run draw the same numbers as an
 * uninterrupted one.
 */
export function deriveSeed(seed: number, ...labels: readonly (string | number)[]): number {
  let h = mix32((seed >>> 0) ^ 0x9e3779b9);
  for (const label of labels) h = hashLabel(label, h);
  return h;
}
