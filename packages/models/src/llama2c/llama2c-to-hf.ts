import type { HostTensor } from '../weights/weight-map';
import type { JsonObject } from '../tokenizers/tokenizer-files';
import type { Llama2cConfig, Llama2cWeights } from './read-llama2c-checkpoint';

/**
 * Reorders the rows of a query or key projection from llama2.c's rotary layout to Hugging Face's.
 *
 * llama2.c rotates interleaved pairs: within each head, dimensions (2i, 2i+1) form the i-th
 * complex number. HF's Llama rotates halves: dimension i pairs with i + headSize/2
 * (`rotate_half`). Both use the frequency 10000^(-2i/headSize) for pair i. Moving row 2i + p of
 * each head to row p·headSize/2 + i makes HF's rotation of the permuted projection equal
 * llama2.c's rotation of the original, up to the same row order in q and k, which the q·k
 * attention scores do not see. This is `permute()` of transformers' convert_llama_weights_to_hf.py
 * and of llama2.c's export.py: `w.view(heads, headSize/2, 2, cols).transpose(1, 2).reshape(rows, cols)`.
 */
export function permuteRotaryRows(weight: Float32Array, heads: number, rows: number, cols: number): Float32Array {
  const headSize = rows / heads;
  const half = headSize / 2;
  const out = new Float32Array(rows * cols);
  for (let head = 0; head < heads; head += 1) {
    for (let i = 0; i < half; i += 1) {
      for (let p = 0; p < 2; p += 1) {
        const from = head * headSize + 2 * i + p;
        const to = head * headSize + p * half + i;
        out.set(weight.subarray(from * cols, (from + 1) * cols), to * cols);
      }
    }
  }
  return out;
}

/** HF LlamaForCausalLM parameter names for llama2.c weights, q/k rows permuted (see above). */
export function llama2cToHfWeights(config: Llama2cConfig, weights: Llama2cWeights): Map<string, HostTensor> {
  const { dim, hiddenDim, nLayers, nHeads, nKvHeads, vocabSize } = config;
  const kvDim = (dim / nHeads) * nKvHeads;
  const out = new Map<string, HostTensor>();
  const layer = (stacked: Float32Array, index: number, size: number) => stacked.slice(index * size, (index + 1) * size);
  out.set('model.embed_tokens.weight', { shape: [vocabSize, dim], data: weights.tokenEmbedding.slice() });
  for (let l = 0; l < nLayers; l += 1) {
    const prefix = `model.layers.${l}`;
    out.set(`${prefix}.input_layernorm.weight`, { shape: [dim], data: layer(weights.rmsAtt, l, dim) });
    out.set(`${prefix}.self_attn.q_proj.weight`, { shape: [dim, dim], data: permuteRotaryRows(layer(weights.wq, l, dim * dim), nHeads, dim, dim) });
    out.set(`${prefix}.self_attn.k_proj.weight`, { shape: [kvDim, dim], data: permuteRotaryRows(layer(weights.wk, l, kvDim * dim), nKvHeads, kvDim, dim) });
    out.set(`${prefix}.self_attn.v_proj.weight`, { shape: [kvDim, dim], data: layer(weights.wv, l, kvDim * dim) });
    out.set(`${prefix}.self_attn.o_proj.weight`, { shape: [dim, dim], data: layer(weights.wo, l, dim * dim) });
    out.set(`${prefix}.post_attention_layernorm.weight`, { shape: [dim], data: layer(weights.rmsFfn, l, dim) });
    out.set(`${prefix}.mlp.gate_proj.weight`, { shape: [hiddenDim, dim], data: layer(weights.w1, l, hiddenDim * dim) });
    out.set(`${prefix}.mlp.down_proj.weight`, { shape: [dim, hiddenDim], data: layer(weights.w2, l, dim * hiddenDim) });
    out.set(`${prefix}.mlp.up_proj.weight`, { shape: [hiddenDim, dim], data: layer(weights.w3, l, hiddenDim * dim) });
  }
  out.set('model.norm.weight', { shape: [dim], data: weights.rmsFinal.slice() });
  // A shared classifier is stored once, as transformers' save_pretrained does with tied weights.
  if (weights.wcls) out.set('lm_head.weight', { shape: [vocabSize, dim], data: weights.wcls.slice() });
  return out;
}

/** `config.json` of the equivalent LlamaForCausalLM (run.c's constants: eps 1e-5, theta 10000). */
export function llamaConfigJson(config: Llama2cConfig): JsonObject {
  return {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    hidden_size: config.dim,
    intermediate_size: config.hiddenDim,
    num_hidden_layers: config.nLayers,
    num_attention_heads: config.nHeads,
    num_key_value_heads: config.nKvHeads,
    head_dim: config.dim / config.nHeads,
    vocab_size: config.vocabSize,
    max_position_embeddings: config.seqLen,
    rms_norm_eps: 1e-5,
    rope_theta: 10000,
    rope_scaling: null,
    hidden_act: 'silu',
    attention_bias: false,
    attention_dropout: 0,
    mlp_bias: false,
    tie_word_embeddings: config.sharedClassifier,
    bos_token_id: 1,
    eos_token_id: 2,
    initializer_range: 0.02,
    pretraining_tp: 1,
    use_cache: true,
    torch_dtype: 'float32',
  };
}
