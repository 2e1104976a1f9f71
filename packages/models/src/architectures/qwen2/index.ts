import { decoderArchitecture } from '../decoder/decoder-architecture';
import { readActivation, readDecoderBasics, readRope, type DecoderConfig } from '../decoder/decoder-config';
import { llamaNamedLayout } from '../decoder/llama-named-weights';

/**
 * Reads a `Qwen2Config`: Llama with biases on the q/k/v projections. Qwen2's sliding window
 * (`use_sliding_window`, layers from `max_window_layers` on) is off in every released checkpoint
 * and refused here when on.
 */
export function parseQwen2Config(json: Readonly<Record<string, unknown>>): DecoderConfig {
  const { read, config } = readDecoderBasics(json, 'qwen2', { tie: false, eps: 1e-6 });
  read.requireAbsentOr('use_sliding_window', [false], 'Qwen2 sliding-window layers are not implemented (no released checkpoint turns them on)');
  return {
    ...config,
    norm: 'rms',
    rope: readRope(json, read, config.headDim, { field: 'partial_rotary_factor', value: 1 }),
    activation: readActivation(read, 'hidden_act', 'silu'),
    gatedMlp: true,
    biases: { qkv: true, o: false, mlp: false },
    qkNorm: false,
    residual: 'sequential',
    slidingWindows: new Array<undefined>(config.numLayers).fill(undefined),
  };
}

/** Qwen2 and Qwen2.5 (`Qwen2ForCausalLM`). */
export const qwen2Architecture = decoderArchitecture({
  modelTypes: ['qwen2'],
  architectures: ['Qwen2ForCausalLM'],
  parseConfig: parseQwen2Config,
  layout: llamaNamedLayout({ fused: false }),
  loraTargetModules: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'],
});
