import { ModelFormatError } from '@rlgf/contracts';
import { randomWeightMap } from '../../weights/random-weights';
import type { HostTensor } from '../../weights/weight-map';
import { decoderArchitecture } from '../decoder/decoder-architecture';
import { readActivation, readDecoderBasics, readRope, readWindow, type DecoderConfig } from '../decoder/decoder-config';
import { llamaNamedLayout } from '../decoder/llama-named-weights';

/** `layer_types`, or Gemma 2's default: sliding-window attention on even layers, full on odd. */
function slidingLayers(json: Readonly<Record<string, unknown>>, layers: number): boolean[] {
  const types = json['layer_types'];
  if (types === undefined || types === null) return Array.from({ length: layers }, (_, layer) => layer % 2 === 0);
  if (!Array.isArray(types) || types.length !== layers || !types.every((type) => type === 'sliding_attention' || type === 'full_attention')) {
    throw new ModelFormatError({ file: 'config.json', message: `layer_types = ${JSON.stringify(types)} is not one sliding_attention or full_attention per layer`, hint: 'fix layer_types or remove it' });
  }
  return types.map((type) => type === 'sliding_attention');
}

/**
 * Reads a `Gemma2Config`: RMSNorms scaled by (1 + w), before and after attention and MLP;
 * embeddings scaled by √hidden; GeGLU; scores scaled by `query_pre_attn_scalar`^-½ and soft-capped
 * (`attn_logit_softcapping`), logits soft-capped (`final_logit_softcapping`); alternating
 * sliding-window layers.
 */
export function parseGemma2Config(json: Readonly<Record<string, unknown>>): DecoderConfig {
  const { read, config } = readDecoderBasics({ head_dim: 256, ...json }, 'gemma2', { tie: true, eps: 1e-6 });
  read.requireAbsentOr('attention_bias', [false], 'Gemma 2 projections have no biases');
  const cap = (field: string, fallback: number) => (json[field] === null ? undefined : read.number(field, fallback));
  // Gemma2Config's default window is 4096; null turns sliding off.
  const window = readWindow(read, json, 'sliding_window', 4096);
  return {
    ...config,
    json,
    norm: 'rms-offset',
    rope: readRope(json, read, config.headDim, { field: 'partial_rotary_factor', value: 1 }, { allowed: [] }),
    activation: readActivation(read, 'hidden_activation', 'gelu_pytorch_tanh'),
    gatedMlp: true,
    biases: { qkv: false, o: false, mlp: false },
    qkNorm: false,
    residual: 'sandwich',
    embeddingScale: Math.sqrt(config.hiddenSize),
    attentionScale: 1 / Math.sqrt(read.number('query_pre_attn_scalar', 256)),
    attentionSoftcap: cap('attn_logit_softcapping', 50),
    finalLogitSoftcap: cap('final_logit_softcapping', 30),
    slidingWindows: slidingLayers(json, config.numLayers).map((sliding) => (sliding ? window : undefined)),
  };
}

const layout = llamaNamedLayout({ fused: false });

/** Gemma 2 (`Gemma2ForCausalLM`: gemma-2-2b, 9b, 27b and their instruction-tuned versions). */
export const gemma2Architecture = decoderArchitecture({
  modelTypes: ['gemma2'],
  architectures: ['Gemma2ForCausalLM'],
  parseConfig: parseGemma2Config,
  layout,
  loraTargetModules: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'],
  // Gemma's norm weights are offsets from one: they start at zero (unit gains), as transformers initialises them.
  randomWeights: (config, options) =>
    new Map<string, HostTensor>(
      [...randomWeightMap(layout.shapes(config), options)].map(([name, tensor]) => [name, name.endsWith('norm.weight') ? { shape: tensor.shape, data: new Float32Array(tensor.data.length) } : tensor]),
    ),
});
