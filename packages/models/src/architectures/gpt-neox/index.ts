import { ModelFormatError } from '@rlgf/contracts';
import { decoderArchitecture } from '../decoder/decoder-architecture';
import { readActivation, readDecoderBasics, readRope, type DecoderConfig } from '../decoder/decoder-config';
import { gptNeoxLayout } from './gpt-neox-weights';

/**
 * Reads a `GPTNeoXConfig` (Pythia, GPT-NeoX-20B): LayerNorms with biases, biased projections
 * (`attention_bias`, default true), a plain MLP, rotary embeddings on the first `rotary_pct` of
 * each head (base `rotary_emb_base` or `rope_theta`), parallel residual by default.
 */
export function parseGptNeoxConfig(json: Readonly<Record<string, unknown>>): DecoderConfig {
  const { read, config } = readDecoderBasics(json, 'gpt_neox', { tie: false, eps: 1e-5, epsField: 'layer_norm_eps' });
  if (config.numKvHeads !== config.numHeads) {
    throw new ModelFormatError({ file: 'config.json', message: `num_key_value_heads ${config.numKvHeads} differs from num_attention_heads ${config.numHeads}`, hint: 'GPT-NeoX has no grouped key/value heads' });
  }
  const attentionBias = read.boolean('attention_bias', true);
  const fraction = json['partial_rotary_factor'] === undefined ? 'rotary_pct' : 'partial_rotary_factor';
  const theta = read.number('rotary_emb_base', 10000);
  return {
    ...config,
    norm: 'layer',
    rope: readRope(json, read, config.headDim, { field: fraction, value: read.number(fraction, 0.25) }, { theta, allowed: ['linear'] }),
    activation: readActivation(read, 'hidden_act', 'gelu'),
    gatedMlp: false,
    biases: { qkv: attentionBias, o: attentionBias, mlp: true },
    qkNorm: false,
    residual: read.boolean('use_parallel_residual', true) ? 'parallel' : 'sequential',
    slidingWindows: new Array<undefined>(config.numLayers).fill(undefined),
  };
}

/** GPT-NeoX (`GPTNeoXForCausalLM`: the Pythia suite, GPT-NeoX-20B). */
export const gptNeoxArchitecture = decoderArchitecture({
  modelTypes: ['gpt_neox'],
  architectures: ['GPTNeoXForCausalLM'],
  parseConfig: parseGptNeoxConfig,
  layout: gptNeoxLayout,
  loraTargetModules: ['query_key_value', 'dense', 'dense_h_to_4h', 'dense_4h_to_h'],
});
