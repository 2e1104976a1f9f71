import { ModelFormatError } from '@rlgf/contracts';
import { isActivationName, type ActivationName } from '../../nn/activations';
import type { CausalLmConfig } from '../causal-lm';
import { ConfigReader } from '../config-fields';

export interface Gpt2Config extends CausalLmConfig {
  readonly innerSize: number;
  readonly layerNormEps: number;
  readonly activation: ActivationName;
}

/** Reads a Hugging Face `GPT2Config` (`model_type: "gpt2"`). */
export function parseGpt2Config(json: Readonly<Record<string, unknown>>): Gpt2Config {
  const read = new ConfigReader(json);
  const hiddenSize = read.positiveInteger('n_embd', 768);
  const numHeads = read.positiveInteger('n_head', 12);
  if (hiddenSize % numHeads !== 0) {
    throw new ModelFormatError({ file: 'config.json', message: `n_embd ${hiddenSize} is not a multiple of n_head ${numHeads}`, hint: 'check config.json' });
  }
  const activation = read.string('activation_function', 'gelu_new');
  if (!isActivationName(activation)) {
    throw new ModelFormatError({ file: 'config.json', message: `activation_function ${activation} is not supported`, hint: 'use gelu_new, gelu, relu or silu' });
  }
  const unsupported = 'this GPT-2 implementation supports the standard attention scaling only';
  read.requireAbsentOr('scale_attn_by_inverse_layer_idx', [false], unsupported);
  read.requireAbsentOr('scale_attn_weights', [true], unsupported);
  read.requireAbsentOr('add_cross_attention', [false], 'cross-attention (encoder-decoder GPT-2) is not supported');
  return {
    modelType: 'gpt2',
    vocabSize: read.positiveInteger('vocab_size', 50257),
    hiddenSize,
    numLayers: read.positiveInteger('n_layer', 12),
    numHeads,
    numKvHeads: numHeads,
    headDim: hiddenSize / numHeads,
    maxPositions: read.positiveInteger('n_positions', 1024),
    bosTokenId: read.tokenIds('bos_token_id')[0],
    eosTokenIds: read.tokenIds('eos_token_id'),
    padTokenId: read.tokenIds('pad_token_id')[0],
    innerSize: read.positiveInteger('n_inner', 4 * hiddenSize),
    layerNormEps: read.number('layer_norm_epsilon', 1e-5),
    activation,
    json,
  };
}
