import { decoderArchitecture } from '../decoder/decoder-architecture';
import { readActivation, readDecoderBasics, readRope, readWindow, type DecoderConfig } from '../decoder/decoder-config';
import { llamaNamedLayout } from '../decoder/llama-named-weights';

/**
 * Reads a `Phi3Config`: Llama with q/k/v stored as one `qkv_proj` and gate/up as one
 * `gate_up_proj`, a sliding window in every layer when `sliding_window` is set (Phi-3-mini-4k:
 * 2047), and `partial_rotary_factor`. The long-context `rope_scaling` (`longrope`) is refused.
 */
export function parsePhi3Config(json: Readonly<Record<string, unknown>>): DecoderConfig {
  const { read, config } = readDecoderBasics(json, 'phi3', { tie: false, eps: 1e-5 });
  const window = readWindow(read, json, 'sliding_window');
  return {
    ...config,
    norm: 'rms',
    rope: readRope(json, read, config.headDim, { field: 'partial_rotary_factor', value: read.number('partial_rotary_factor', 1) }, { allowed: [] }),
    activation: readActivation(read, 'hidden_act', 'silu'),
    gatedMlp: true,
    biases: { qkv: false, o: false, mlp: false },
    qkNorm: false,
    residual: 'sequential',
    slidingWindows: new Array<number | undefined>(config.numLayers).fill(window),
  };
}

/** Phi-3 and Phi-3.5 mini (`Phi3ForCausalLM`), 4k-context variants. */
export const phi3Architecture = decoderArchitecture({
  modelTypes: ['phi3'],
  architectures: ['Phi3ForCausalLM'],
  parseConfig: parsePhi3Config,
  layout: llamaNamedLayout({ fused: true }),
  loraTargetModules: ['qkv_proj', 'o_proj', 'gate_up_proj', 'down_proj'],
});
