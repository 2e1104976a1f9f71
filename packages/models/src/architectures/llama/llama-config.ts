import { ModelFormatError } from '@rlgf/contracts';
import type { CausalLmConfig } from '../causal-lm';
import { ConfigReader } from '../config-fields';
import { readRopeScaling, type RopeScaling } from '../rope';

export interface LlamaConfig extends CausalLmConfig {
  readonly intermediateSize: number;
  readonly rmsNormEps: number;
  readonly ropeTheta: number;
  /** Llama 3.1/3.2's `llama3` scaling, or `linear` (position interpolation). */
  readonly ropeScaling?: RopeScaling;
  readonly tieWordEmbeddings: boolean;
}

/** Reads a Hugging Face `LlamaConfig` (`model_type: "llama"`). */
export function parseLlamaConfig(json: Readonly<Record<string, unknown>>): LlamaConfig {
  const read = new ConfigReader(json);
  const hiddenSize = read.positiveInteger('hidden_size');
  const numHeads = read.positiveInteger('num_attention_heads');
  const numKvHeads = read.positiveInteger('num_key_value_heads', numHeads);
  const headDim = read.positiveInteger('head_dim', Math.floor(hiddenSize / numHeads));
  if (numHeads % numKvHeads !== 0 || headDim % 2 !== 0) {
    throw new ModelFormatError({
      file: 'config.json',
      message: `num_attention_heads ${numHeads}, num_key_value_heads ${numKvHeads}, head_dim ${headDim}: heads must be a multiple of key/value heads and head_dim even`,
      hint: 'check the attention fields of config.json',
    });
  }
  const unsupported = 'this Llama implementation supports projections without biases';
  read.requireAbsentOr('attention_bias', [false], unsupported);
  read.requireAbsentOr('mlp_bias', [false], unsupported);
  read.requireAbsentOr('hidden_act', ['silu'], 'only the SiLU (SwiGLU) MLP of Llama is supported');
  return {
    modelType: 'llama',
    vocabSize: read.positiveInteger('vocab_size'),
    hiddenSize,
    numLayers: read.positiveInteger('num_hidden_layers'),
    numHeads,
    numKvHeads,
    headDim,
    maxPositions: read.positiveInteger('max_position_embeddings', 2048),
    bosTokenId: read.tokenIds('bos_token_id')[0],
    eosTokenIds: read.tokenIds('eos_token_id'),
    padTokenId: read.tokenIds('pad_token_id')[0],
    intermediateSize: read.positiveInteger('intermediate_size'),
    rmsNormEps: read.number('rms_norm_eps', 1e-6),
    ropeTheta: read.number('rope_theta', 10000),
    ropeScaling: readRopeScaling(json),
    tieWordEmbeddings: read.boolean('tie_word_embeddings', false),
    json,
  };
}
