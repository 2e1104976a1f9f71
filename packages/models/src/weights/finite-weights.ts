import { ModelFormatError } from '@rlgf/contracts';
import type { WeightMap } from './weight-map';

/** Index of the first NaN or ±Infinity in `data`, or -1. */
export function firstNonFinite(data: Float32Array): number {
  for (let i = 0; i < data.length; i += 1) {
    // x - x is 0 for every finite x and NaN for NaN and ±Infinity: one subtraction per value.
    const value = data[i];
    if (value - value !== 0) return i;
  }
  return -1;
}

/**
 * Refuses weights holding NaN or ±Infinity, naming the first such tensor. A model built from them
 * produces NaN logits that surface much later (a "perplexity 0.0000", a loss blamed on the
 * learning rate); this stops it at the file. One pass over each tensor.
 */
export function rejectNonFiniteWeights(weights: WeightMap, file: string): void {
  for (const [name, tensor] of weights) {
    const index = firstNonFinite(tensor.data);
    if (index < 0) continue;
    throw new ModelFormatError({
      file,
      message: `tensor ${name} holds ${tensor.data[index]} at index ${index} of ${tensor.data.length}`,
      hint: 'the weights are damaged or came from a diverged run: use an earlier checkpoint or download the model again',
    });
  }
}
