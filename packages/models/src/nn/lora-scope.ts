import * as tf from '@tensorflow/tfjs-core';

/**
 * The low-rank update of one block of an [in, out] weight's columns: `scale · drop(x) · a · b`,
 * added to columns [offset, offset + width) of `x · w`. `a` [in, r] and `b` [r, width] are in the
 * internal layout (PEFT's `lora_A`/`lora_B` transposed, `b`'s columns in the weight's order).
 */
export interface LoraFactor {
  readonly a: tf.Variable;
  readonly b: tf.Variable;
  readonly offset: number;
  readonly width: number;
  readonly scale: number;
}

/** What an active adapter answers while a forward pass runs (see {@link withLora}). */
export interface LoraBinding {
  /** The factors on weight `w` (one per targeted module whose product `w` holds), by offset. */
  factorsOf(w: tf.Tensor): readonly LoraFactor[] | undefined;
  /** Dropout on each factor's input while a gradient tape records (PEFT drops only in training). */
  readonly dropout: number;
  /** A fresh seed per dropout mask, so masks are reproducible from the adapter's state. */
  nextDropoutSeed(): number;
}

let active: LoraBinding | undefined;

/**
 * Runs `body` (a forward pass, synchronous) with `binding`'s factors added beside the products of
 * the weights they target. Networks stay unaware of adapters: one frozen base serves the policy
 * (its adapter), the reference (none) and the critic (another) by scoping the forward call.
 */
export function withLora<T>(binding: LoraBinding | undefined, body: () => T): T {
  const previous = active;
  active = binding;
  try {
    return body();
  } finally {
    active = previous;
  }
}

/** True when the active adapter changes one of `weights`: fused kernels that skip `linear` must not run. */
export function loraTouches(...weights: tf.Tensor[]): boolean {
  return active !== undefined && weights.some((w) => active?.factorsOf(w) !== undefined);
}

/**
 * The active adapter's update of `flat · w` [rows, out], or undefined when it has none for `w`.
 * Untargeted column blocks of a fused weight get zeros, so one add covers q, k and v alike.
 */
export function loraUpdate(flat: tf.Tensor2D, w: tf.Tensor2D, product: (x: tf.Tensor2D, m: tf.Tensor2D) => tf.Tensor2D): tf.Tensor2D | undefined {
  const binding = active;
  const factors = binding?.factorsOf(w);
  if (binding === undefined || factors === undefined) return undefined;
  const rows = flat.shape[0];
  const out = w.shape[1];
  const training = tf.engine().state.gradientDepth > 0 && binding.dropout > 0;
  const pieces: tf.Tensor2D[] = [];
  let column = 0;
  for (const factor of factors) {
    if (factor.offset > column) pieces.push(tf.zeros([rows, factor.offset - column]));
    const input = training ? dropout(flat, binding.dropout, binding.nextDropoutSeed()) : flat;
    const low = tf.mul(product(input, factor.a as tf.Variable<tf.Rank.R2>), factor.scale) as tf.Tensor2D;
    pieces.push(product(low, factor.b as tf.Variable<tf.Rank.R2>));
    column = factor.offset + factor.width;
  }
  if (column < out) pieces.push(tf.zeros([rows, out - column]));
  return pieces.length === 1 ? pieces[0] : (tf.concat(pieces, 1) as tf.Tensor2D);
}

/** Inverted dropout with a seeded mask (built from no variable, so the tape never differentiates it). */
function dropout(x: tf.Tensor2D, rate: number, seed: number): tf.Tensor2D {
  const mask = tf.floor(tf.add(tf.randomUniform(x.shape, 0, 1, 'float32', seed), 1 - rate));
  return tf.mul(x, tf.div(mask, 1 - rate)) as tf.Tensor2D;
}
