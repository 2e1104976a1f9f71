import type { LoraSite } from '../../lora/lora-site';
import type { HostTensor, WeightMap } from '../../weights/weight-map';
import type { HostParameters, ParameterSet } from '../parameters';
import type { DecoderConfig } from './decoder-config';

/**
 * How one family names and lays out its weights: Hugging Face names and shapes, loading them into
 * the internal parameters {@link DecoderNetwork} multiplies by (`layers.N.qkv` [in, out], …), and
 * the bit-exact inverse.
 */
export interface DecoderWeightLayout {
  shapes(config: DecoderConfig): Map<string, number[]>;
  /** Fills `parameters`; returns the names of tensors the checkpoint lacked and that start at zero. */
  load(config: DecoderConfig, weights: WeightMap, parameters: ParameterSet): string[];
  /** The bit-exact inverse of `load`, from host copies of the parameters. */
  save(config: DecoderConfig, parameters: HostParameters): Map<string, HostTensor>;
  /** The linear modules a LoRA adapter may target, under the family's PEFT module paths. */
  loraSites?(config: DecoderConfig, parameters: ParameterSet): LoraSite[];
}

/** Columns `order` of a row-major [rows, cols] matrix (a 1-D tensor is one row): out[:, j] = in[:, order[j]]. */
export function gatherColumns(tensor: HostTensor, order: Int32Array): HostTensor {
  const cols = tensor.shape[tensor.shape.length - 1];
  const rows = tensor.data.length / cols;
  const data = new Float32Array(tensor.data.length);
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) data[r * cols + j] = tensor.data[r * cols + order[j]];
  return { shape: tensor.shape, data };
}

/** The inverse of {@link gatherColumns}: out[:, order[j]] = in[:, j]. Exact copies both ways. */
export function scatterColumns(tensor: HostTensor, order: Int32Array): HostTensor {
  const cols = tensor.shape[tensor.shape.length - 1];
  const rows = tensor.data.length / cols;
  const data = new Float32Array(tensor.data.length);
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) data[r * cols + order[j]] = tensor.data[r * cols + j];
  return { shape: tensor.shape, data };
}

/**
 * Internal q/k/v column j → column of the family's fused [q | k | v] projection: query and key
 * heads take the rotary feature order (see `rotaryFeatureOrder`); `source(part, head, feature)`
 * says where a family stores a feature (GPT-NeoX interleaves the three per head).
 */
export function qkvColumnOrder(config: DecoderConfig, features: Int32Array, source: (part: 0 | 1 | 2, head: number, feature: number) => number): Int32Array {
  const { numHeads: h, numKvHeads: kv, headDim: dh } = config;
  return Int32Array.from({ length: (h + 2 * kv) * dh }, (_, column) => {
    const head = Math.floor(column / dh);
    const slot = column % dh;
    if (head < h) return source(0, head, features[slot]);
    if (head < h + kv) return source(1, head - h, features[slot]);
    return source(2, head - h - kv, slot);
  });
}
