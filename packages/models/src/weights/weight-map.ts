/** Element types a checkpoint may store; everything is computed in float32. */
export type StoredDtype = 'F32' | 'F16' | 'BF16';

/** One named tensor as host memory, row-major, already converted to float32. */
export interface HostTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/**
 * Weights by their Hugging Face parameter names (`model.layers.0.self_attn.q_proj.weight`,
 * `transformer.h.0.attn.c_attn.weight`, ...), in the layout PyTorch stores them. This is the
 * exchange format between file readers (safetensors, llama2.c) and architecture modules.
 */
export type WeightMap = ReadonlyMap<string, HostTensor>;
