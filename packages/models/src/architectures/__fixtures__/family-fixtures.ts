import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TokenizerV1 } from '@rlgf/contracts';
import type { HostTensor } from '../../weights/weight-map';
import type { GoldenFixture } from './golden-fixtures';

/** The fixtures tools/model-reference/model_reference.py writes, one per family variant. */
export const familyFixtures = [
  'llama3-rope-scaling',
  'llama-linear-rope',
  'qwen2',
  'qwen3',
  'mistral',
  'gemma2',
  'phi3',
  'gpt-neox-parallel',
  'gpt-neox-sequential',
] as const;

export type FamilyFixtureName = (typeof familyFixtures)[number];

/** Reads a family fixture (tests only). */
export function readFamilyFixture(name: FamilyFixtureName): GoldenFixture {
  const raw = JSON.parse(readFileSync(join(__dirname, 'families', `${name}.json`), 'utf8')) as {
    config: Record<string, unknown>;
    weights: Record<string, { shape: number[]; data: number[] }>;
    input_ids: number[][];
    attention_mask: number[][];
    logits: number[][][];
  };
  const weights = new Map<string, HostTensor>(Object.entries(raw.weights).map(([key, value]) => [key, { shape: value.shape, data: Float32Array.from(value.data) }]));
  return { config: raw.config, weights, inputIds: raw.input_ids, attentionMask: raw.attention_mask, logits: raw.logits };
}

/** A tokenizer for ids only (the fixtures have no vocabulary): models built from fixtures need one. */
export const idTokenizer: TokenizerV1 = {
  specificationVersion: 'v1',
  vocabSize: 32,
  encode: (text) => text.split(' ').map(Number),
  decode: (ids) => ids.join(' '),
};
