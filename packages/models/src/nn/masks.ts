import { maskedScore } from './attention';

/**
 * Additive attention bias [B, 1, s, Tk] as host memory: query i (at key column `start + i`) may
 * attend key column j when `keyValid[b][j]` is set and j <= start + i (causality). Padding
 * columns and the future are masked.
 */
export function attentionBias(keyValid: readonly ArrayLike<number>[], start: number, steps: number, keyLength: number): Float32Array {
  const batch = keyValid.length;
  const bias = new Float32Array(batch * steps * keyLength);
  for (let b = 0; b < batch; b++) {
    const valid = keyValid[b];
    for (let i = 0; i < steps; i++) {
      const row = (b * steps + i) * keyLength;
      for (let j = 0; j < keyLength; j++) {
        bias[row + j] = j <= start + i && j < valid.length && valid[j] !== 0 ? 0 : maskedScore;
      }
    }
  }
  return bias;
}

/**
 * Position ids from an attention mask as Hugging Face computes them for left padding: the
 * number of real tokens before each column (padding columns get 0).
 */
export function positionsFromMask(mask: readonly ArrayLike<number>[]): Int32Array[] {
  return mask.map((row) => {
    const positions = new Int32Array(row.length);
    let seen = 0;
    for (let j = 0; j < row.length; j++) {
      positions[j] = row[j] !== 0 ? seen : 0;
      if (row[j] !== 0) seen++;
    }
    return positions;
  });
}
