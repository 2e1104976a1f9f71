import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostTensor, WeightMap } from '../../weights/weight-map';
import type { CausalLmNetwork } from '../causal-lm';
import { createArchitectureRegistry } from '../registry';

/** A golden fixture written by tools/bench-models/reference/golden_logits.py. */
export interface GoldenFixture {
  readonly config: Record<string, unknown>;
  readonly weights: WeightMap;
  readonly inputIds: number[][];
  readonly attentionMask: number[][];
  readonly logits: number[][][];
}

export type GoldenFixtureName = 'llama-tiny-untied' | 'llama-tiny-tied' | 'gpt2-tiny';

/** Reads a golden fixture (tests only: the fixtures folder is not part of the package's inputs). */
export function readGoldenFixture(name: GoldenFixtureName): GoldenFixture {
  const raw = JSON.parse(readFileSync(join(__dirname, `${name}.json`), 'utf8')) as {
    config: Record<string, unknown>;
    weights: Record<string, { shape: number[]; data: number[] }>;
    input_ids: number[][];
    attention_mask: number[][];
    logits: number[][][];
  };
  const weights = new Map<string, HostTensor>(
    Object.entries(raw.weights).map(([key, value]) => [key, { shape: value.shape, data: Float32Array.from(value.data) }]),
  );
  return { config: raw.config, weights, inputIds: raw.input_ids, attentionMask: raw.attention_mask, logits: raw.logits };
}

/** A network built from a golden fixture's tiny random weights. */
export function goldenNetwork(name: GoldenFixtureName, trainable = false): CausalLmNetwork {
  const fixture = readGoldenFixture(name);
  const module = createArchitectureRegistry().resolve(fixture.config);
  return module.build(module.parseConfig(fixture.config), fixture.weights, { trainable });
}

/** The tensor `name` of a weight map; fails the test with the name when it is missing. */
export function weightOf(weights: WeightMap, name: string): HostTensor {
  const tensor = weights.get(name);
  if (tensor === undefined) throw new Error(`missing tensor ${name}`);
  return tensor;
}

/** True when two tensors hold the same bits (NaN and -0 included). */
export function sameBits(a: HostTensor, b: HostTensor): boolean {
  return Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength).equals(Buffer.from(b.data.buffer, b.data.byteOffset, b.data.byteLength));
}
