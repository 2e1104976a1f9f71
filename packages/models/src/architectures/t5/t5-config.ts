import { ModelFormatError } from '@rlgf/contracts';
import type { Seq2SeqConfig } from '../../model/seq2seq-network';
import { isActivationName, type ActivationName } from '../../nn/activations';
import { ConfigReader } from '../config-fields';

export interface T5Config extends Seq2SeqConfig {
  readonly numLayers: number;
  readonly feedForwardSize: number;
  /** The feed-forward activation (`relu` for T5 v1.0, `gelu_new` for v1.1 and Flan-T5). */
  readonly activation: ActivationName;
  /** Gated feed-forward `act(x·wi_0) ⊙ (x·wi_1)` (v1.1, Flan-T5) instead of `act(x·wi)` (v1.0). */
  readonly gated: boolean;
  readonly relativeBuckets: number;
  readonly relativeMaxDistance: number;
  readonly layerNormEps: number;
  /** Tied heads reuse `shared.weight` and rescale the decoder output by d_model^-0.5 first. */
  readonly tieWordEmbeddings: boolean;
}

/**
 * `feed_forward_proj` as transformers' T5Config reads it: `[gated-]<activation>`, where
 * `gated-gelu` means the tanh approximation (`gelu_new`) for backwards compatibility.
 */
function feedForward(projection: string): { activation: ActivationName; gated: boolean } {
  const parts = projection.split('-');
  const gated = parts.length === 2 && parts[0] === 'gated';
  const name = projection === 'gated-gelu' ? 'gelu_new' : parts[parts.length - 1];
  if ((parts.length !== 1 && !gated) || parts.length > 2 || !isActivationName(name)) {
    throw new ModelFormatError({
      file: 'config.json',
      message: `feed_forward_proj = ${JSON.stringify(projection)} is not supported`,
      hint: 'use "relu" (T5 v1.0), "gated-gelu" (T5 v1.1, Flan-T5) or "[gated-]<relu|gelu|gelu_new|silu>"',
    });
  }
  return { activation: name, gated };
}

/** Reads a Hugging Face `T5Config` (`model_type: "t5"`). */
export function parseT5Config(json: Readonly<Record<string, unknown>>): T5Config {
  const read = new ConfigReader(json);
  const numLayers = read.positiveInteger('num_layers', 6);
  const padTokenId = read.tokenIds('pad_token_id')[0] ?? 0;
  const eosTokenIds = read.tokenIds('eos_token_id');
  const ff = feedForward(read.string('feed_forward_proj', 'relu'));
  return {
    modelType: 't5',
    vocabSize: read.positiveInteger('vocab_size', 32128),
    hiddenSize: read.positiveInteger('d_model', 512),
    numLayers,
    numDecoderLayers: read.positiveInteger('num_decoder_layers', numLayers),
    numHeads: read.positiveInteger('num_heads', 8),
    headDim: read.positiveInteger('d_kv', 64),
    feedForwardSize: read.positiveInteger('d_ff', 2048),
    ...ff,
    relativeBuckets: read.positiveInteger('relative_attention_num_buckets', 32),
    relativeMaxDistance: read.positiveInteger('relative_attention_max_distance', 128),
    layerNormEps: read.number('layer_norm_epsilon', 1e-6),
    tieWordEmbeddings: read.boolean('tie_word_embeddings', true),
    maxPositions: read.positiveInteger('n_positions', 512),
    decoderStartTokenId: read.tokenIds('decoder_start_token_id')[0] ?? padTokenId,
    eosTokenIds: eosTokenIds.length > 0 ? eosTokenIds : [1],
    padTokenId,
    json,
  };
}
