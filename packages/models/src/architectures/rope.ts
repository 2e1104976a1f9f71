import * as tf from '@tensorflow/tfjs-core';
import { ModelFormatError } from '@rlgf/contracts';
import { rotateHalfMatrix, type RotaryEmbedding } from '../nn/rotary';

/** `config.json`'s `rope_scaling`, for the types this package implements. */
export type RopeScaling =
  | { readonly type: 'linear'; readonly factor: number }
  | { readonly type: 'llama3'; readonly factor: number; readonly lowFreqFactor: number; readonly highFreqFactor: number; readonly originalMaxPositions: number };

const implemented = 'rope_type default, linear or llama3';

/**
 * Reads `rope_scaling` (absent, null, or `{ rope_type | type, factor, … }`). Types whose angles
 * depend on the sequence length (`dynamic`) or that rescale attention (`yarn`, `longrope`) are
 * refused by name rather than run with the wrong positions.
 */
export function readRopeScaling(json: Readonly<Record<string, unknown>>, allowed: readonly RopeScaling['type'][] = ['linear', 'llama3']): RopeScaling | undefined {
  const raw = json['rope_scaling'];
  if (raw === undefined || raw === null) return undefined;
  const fail = (message: string) => new ModelFormatError({ file: 'config.json', message, hint: `this package implements ${implemented}` });
  if (typeof raw !== 'object' || Array.isArray(raw)) throw fail(`rope_scaling = ${JSON.stringify(raw)} is not an object`);
  const fields = raw as Record<string, unknown>;
  const type = fields['rope_type'] ?? fields['type'];
  if (type === 'default') return undefined;
  if (!(allowed as readonly unknown[]).includes(type)) throw fail(`rope_scaling type ${JSON.stringify(type)} is not supported for model_type ${JSON.stringify(json['model_type'])}`);
  const number = (field: string) => {
    const value = fields[field];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) throw fail(`rope_scaling.${field} = ${JSON.stringify(value)}, expected a positive number`);
    return value;
  };
  if (type === 'linear') return { type, factor: number('factor') };
  return {
    type: 'llama3',
    factor: number('factor'),
    lowFreqFactor: number('low_freq_factor'),
    highFreqFactor: number('high_freq_factor'),
    originalMaxPositions: number('original_max_position_embeddings'),
  };
}

/**
 * Rotary inverse frequencies for `rotaryDim` features, rounded to float32 at each step as
 * transformers' `_compute_default_rope_parameters` (and its `linear` and `llama3` variants) compute
 * them, so the angles round the same way.
 */
export function inverseFrequencies(rotaryDim: number, theta: number, scaling?: RopeScaling): Float32Array {
  const f = Math.fround;
  const frequencies = Float32Array.from({ length: rotaryDim / 2 }, (_, i) => f(1 / f(Math.pow(theta, f((2 * i) / rotaryDim)))));
  if (scaling === undefined) return frequencies;
  if (scaling.type === 'linear') return frequencies.map((value) => f(value / scaling.factor));
  const { factor, lowFreqFactor: low, highFreqFactor: high, originalMaxPositions: context } = scaling;
  return frequencies.map((value) => {
    const wavelength = f((2 * Math.PI) / value);
    // Long wavelengths (low frequencies) are divided by the factor, short ones kept, the band
    // between interpolated: Llama 3.1's scheme.
    if (wavelength > context / low) return f(value / factor);
    if (wavelength < context / high) return value;
    const smooth = f((f(context / wavelength) - low) / (high - low));
    return f(f((1 - smooth) * f(value / factor)) + f(smooth * value));
  });
}

/**
 * Internal feature order of a head whose first `rotaryDim` features rotate (GPT-NeoX's
 * `rotary_pct`, Phi-3's `partial_rotary_factor`): slot j holds original feature `order[j]`. The
 * rotating halves are moved to the fronts of the two halves of the head, so rotate-half over the
 * whole head (the fused kernels' rotation) pairs the same features transformers pairs, and the
 * passing features sit where the tables hold cos 1 and sin 0. Queries and keys are permuted alike,
 * so their products are unchanged. The identity when the whole head rotates.
 */
export function rotaryFeatureOrder(headDim: number, rotaryDim: number): Int32Array {
  const [half, rotaryHalf] = [headDim / 2, rotaryDim / 2];
  return Int32Array.from({ length: headDim }, (_, slot) => {
    const second = slot >= half ? 1 : 0;
    const index = slot - second * half;
    return index < rotaryHalf ? second * rotaryHalf + index : rotaryDim + second * (half - rotaryHalf) + (index - rotaryHalf);
  });
}

/**
 * Device tables of rotary embeddings for positions [0, maxPositions), [maxPositions, headDim] in
 * the order of {@link rotaryFeatureOrder} (rotate-half layout for a whole-head rotation).
 */
export function createRopeEmbedding(maxPositions: number, headDim: number, frequencies: Float32Array): RotaryEmbedding {
  const [half, rotaryHalf] = [headDim / 2, frequencies.length];
  const cos = new Float32Array(maxPositions * headDim).fill(1);
  const sin = new Float32Array(maxPositions * headDim);
  for (let position = 0; position < maxPositions; position++) {
    for (let i = 0; i < rotaryHalf; i++) {
      const angle = Math.fround(position * frequencies[i]);
      const row = position * headDim;
      cos[row + i] = cos[row + i + half] = Math.cos(angle);
      sin[row + i] = sin[row + i + half] = Math.sin(angle);
    }
  }
  return {
    cos: tf.tensor2d(cos, [maxPositions, headDim]),
    sin: tf.tensor2d(sin, [maxPositions, headDim]),
    rotateHalf: tf.tensor2d(rotateHalfMatrix(headDim), [headDim, headDim]),
  };
}
