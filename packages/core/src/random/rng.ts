import { InvalidArgumentError } from '@rlgf/contracts';
import { deriveSeed } from './seed';

/** The complete state of an {@link Rng}; JSON-serialisable for checkpoints. */
export type RngState = readonly [number, number, number, number];

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
}

/**
 * xoshiro128** (Blackman & Vigna): small, fast, with a 128-bit state that can be saved and
 * restored exactly. Every random choice in a run goes through one of these, seeded from the run
 * seed with {@link deriveSeed}.
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  private constructor(state: RngState) {
    [this.s0, this.s1, this.s2, this.s3] = state;
  }

  /** A generator for `seed`, optionally specialised by labels (see {@link deriveSeed}). */
  static fromSeed(seed: number, ...labels: readonly (string | number)[]): Rng {
    const next = splitmix32(labels.length > 0 ? deriveSeed(seed, ...labels) : seed);
    const state: [number, number, number, number] = [next(), next(), next(), next()];
    if (state.every((word) => word === 0)) state[0] = 1;
    return new Rng(state);
  }

  static fromState(state: RngState): Rng {
    if (state.length !== 4 || !state.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff)) {
      throw new InvalidArgumentError({ argument: 'rng state', value: state, expected: 'four unsigned 32-bit integers' });
    }
    if (state.every((w) => w === 0)) {
      throw new InvalidArgumentError({ argument: 'rng state', value: state, expected: 'a state that is not all zeros' });
    }
    return new Rng(state);
  }

  getState(): RngState {
    return [this.s0, this.s1, this.s2, this.s3];
  }

  /** Uniform in [0, 2^32). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    this.s3 >>>= 0;
    return result;
  }

  /** Uniform in [0, 1) with 53 bits of resolution. */
  nextFloat(): number {
    const high = this.nextUint32() >>> 5;
    const low = this.nextUint32() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  }

  /** Uniform integer in [0, maxExclusive), without modulo bias. */
  nextInt(maxExclusive: number): number {
    if (!Number.isInteger(maxExclusive) || maxExclusive <= 0 || maxExclusive > 0x100000000) {
      throw new InvalidArgumentError({ argument: 'maxExclusive', value: maxExclusive, expected: 'an integer in [1, 2^32]' });
    }
    const limit = 0x100000000 - (0x100000000 % maxExclusive);
    for (;;) {
      const value = this.nextUint32();
      if (value < limit) return value % maxExclusive;
    }
  }

  /** True with probability `p`. */
  bernoulli(p: number): boolean {
    return this.nextFloat() < p;
  }

  /** A shuffled copy (Fisher-Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const result = [...items];
    for (let i = result.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      [result[i], result[j]] = [result[j], result[i]];
    }
    return result;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
