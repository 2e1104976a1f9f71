import { decoderArchitecture } from '../decoder/decoder-architecture';
import { readActivation, readDecoderBasics, readRope, readWindow, type DecoderConfig } from '../decoder/decoder-config';
import { llamaNamedLayout } from '../decoder/llama-named-weights';

/** Reads a `MistralConfig`: Llama with sliding-window attention in every layer (`sliding_window`, null for none). */
export function parseMistralConfig(json: Readonly<Record<string, unknown>>): DecoderConfig {
  const { read, config } = readDecoderBasics(json, 'mistral', { tie: false, eps: 1e-6 });
  read.requireAbsentOr('attention_bias', [false], 'Mistral projections have no biases');
  const window = readWindow(read, json, 'sliding_window');
  return {
    ...config,
    norm: 'rms',
    rope: readRope(json, read, config.headDim, { field: 'partial_rotary_factor', value: 1 }, { allowed: [] }),
    activation: readActivation(read, 'hidden_act', 'silu'),
    gatedMlp: true,
    biases: { qkv: false, o: false, mlp: false },
    qkNorm: false,
    residual: 'sequential',
    slidingWindows: new Array<number | undefined>(config.numLayers).fill(window),
  };
}

/** Mistral 7B and its fine-tunes (`MistralForCausalLM`). */
export const mistralArchitecture = decoderArchitecture({
  modelTypes: ['mistral'],
  architectures: ['MistralForCausalLM'],
  parseConfig: parseMistralConfig,
  layout: llamaNamedLayout({ fused: false }),
  loraTargetModules: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'],
});
