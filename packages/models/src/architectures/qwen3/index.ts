import { decoderArchitecture } from '../decoder/decoder-architecture';
import { readActivation, readDecoderBasics, readRope, type DecoderConfig } from '../decoder/decoder-config';
import { llamaNamedLayout } from '../decoder/llama-named-weights';

/**
 * Reads a `Qwen3Config`: Llama with an RMSNorm over each query and key head before the rotation,
 * an explicit `head_dim`, and optional biases on all four attention projections
 * (`attention_bias`). Sliding-window layers are refused, as for Qwen2.
 */
export function parseQwen3Config(json: Readonly<Record<string, unknown>>): DecoderConfig {
  const { read, config } = readDecoderBasics(json, 'qwen3', { tie: false, eps: 1e-6 });
  read.requireAbsentOr('use_sliding_window', [false], 'Qwen3 sliding-window layers are not implemented (no released checkpoint turns them on)');
  const attentionBias = read.boolean('attention_bias', false);
  return {
    ...config,
    norm: 'rms',
    rope: readRope(json, read, config.headDim, { field: 'partial_rotary_factor', value: 1 }),
    activation: readActivation(read, 'hidden_act', 'silu'),
    gatedMlp: true,
    biases: { qkv: attentionBias, o: attentionBias, mlp: false },
    qkNorm: true,
    residual: 'sequential',
    slidingWindows: new Array<undefined>(config.numLayers).fill(undefined),
  };
}

/** Qwen3 dense models (`Qwen3ForCausalLM`). */
export const qwen3Architecture = decoderArchitecture({
  modelTypes: ['qwen3'],
  architectures: ['Qwen3ForCausalLM'],
  parseConfig: parseQwen3Config,
  layout: llamaNamedLayout({ fused: false }),
  loraTargetModules: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'],
});
