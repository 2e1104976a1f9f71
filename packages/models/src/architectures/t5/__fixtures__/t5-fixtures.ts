import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostTensor, WeightMap } from '../../../weights/weight-map';

/** A golden fixture written by tools/t5-reference/t5_reference.py. */
export interface T5GoldenFixture {
  readonly config: Record<string, unknown>;
  readonly weights: WeightMap;
  readonly inputIds: number[][];
  readonly attentionMask: number[][];
  readonly decoderInputIds: number[][];
  readonly logits: number[][][];
  readonly decoderHidden: number[][][];
}

export type T5FixtureName = 't5-v1_0-relu-tied' | 't5-v1_1-gated-gelu-untied';

/** Reads a T5 golden fixture (tests only). */
export function readT5Fixture(name: T5FixtureName): T5GoldenFixture {
  const raw = JSON.parse(readFileSync(join(__dirname, `${name}.json`), 'utf8')) as {
    config: Record<string, unknown>;
    weights: Record<string, { shape: number[]; data: number[] }>;
    input_ids: number[][];
    attention_mask: number[][];
    decoder_input_ids: number[][];
    logits: number[][][];
    decoder_hidden: number[][][];
  };
  const weights = new Map<string, HostTensor>(
    Object.entries(raw.weights).map(([key, value]) => [key, { shape: value.shape, data: Float32Array.from(value.data) }]),
  );
  return {
    config: raw.config,
    weights,
    inputIds: raw.input_ids,
    attentionMask: raw.attention_mask,
    decoderInputIds: raw.decoder_input_ids,
    logits: raw.logits,
    decoderHidden: raw.decoder_hidden,
  };
}

/** Bucket tables of transformers' `_relative_position_bucket` for relative positions -300..300. */
export function readBucketTables(): {
  relativePositions: number[];
  tables: { bidirectional: boolean; num_buckets: number; max_distance: number; buckets: number[] }[];
} {
  const raw = JSON.parse(readFileSync(join(__dirname, 't5-relative-buckets.json'), 'utf8')) as {
    relative_positions: number[];
    tables: { bidirectional: boolean; num_buckets: number; max_distance: number; buckets: number[] }[];
  };
  return { relativePositions: raw.relative_positions, tables: raw.tables };
}

/** Largest absolute difference between two nested arrays of the same shape. */
export function largestDifference(actual: number[][][], expected: number[][][]): number {
  let worst = 0;
  expected.forEach((rows, b) => rows.forEach((row, t) => row.forEach((value, v) => (worst = Math.max(worst, Math.abs(actual[b][t][v] - value))))));
  return worst;
}
