import { fusedSites } from '../../lora/lora-site';
import type { HostTensor } from '../../weights/weight-map';
import { inOutToLinear, linearToInOut } from '../host-layout';
import type { DecoderConfig } from '../decoder/decoder-config';
import { gatherColumns, qkvColumnOrder, scatterColumns, type DecoderWeightLayout } from '../decoder/decoder-weights';
import { loadEmbedding, saveEmbedding } from '../decoder/llama-named-weights';
import { rotaryFeatureOrder } from '../rope';
import { requireWeight } from '../weight-checks';

const names = { embed: 'gpt_neox.embed_in.weight', head: 'embed_out.weight' };
const prefix = (layer: number) => `gpt_neox.layers.${layer}`;

/** Hugging Face suffix (after `gpt_neox.layers.N.`) → internal name; `linear` ones are [out, in] there. */
function layerEntries(config: DecoderConfig): { readonly suffix: string; readonly internal: string; readonly linear?: boolean }[] {
  const entries = [
    { suffix: 'input_layernorm.weight', internal: 'inputNorm' },
    { suffix: 'input_layernorm.bias', internal: 'inputNormBias' },
    { suffix: 'post_attention_layernorm.weight', internal: 'postNorm' },
    { suffix: 'post_attention_layernorm.bias', internal: 'postNormBias' },
    { suffix: 'attention.dense.weight', internal: 'o', linear: true },
    { suffix: 'mlp.dense_h_to_4h.weight', internal: 'fc', linear: true },
    { suffix: 'mlp.dense_h_to_4h.bias', internal: 'fcBias' },
    { suffix: 'mlp.dense_4h_to_h.weight', internal: 'down', linear: true },
    { suffix: 'mlp.dense_4h_to_h.bias', internal: 'downBias' },
  ];
  if (config.biases.o) entries.push({ suffix: 'attention.dense.bias', internal: 'oBias' });
  return entries;
}

/**
 * `query_key_value` stores, per head h, [q_h | k_h | v_h] (its output viewed as [heads, 3·Dh]);
 * internally the columns are [q heads | k heads | v heads], query and key features in the rotary
 * order of a partial rotation.
 */
function qkvOrder(config: DecoderConfig): Int32Array {
  const dh = config.headDim;
  return qkvColumnOrder(config, rotaryFeatureOrder(dh, config.rope.rotaryDim), (part, head, feature) => head * 3 * dh + part * dh + feature);
}

function shapes(config: DecoderConfig): Map<string, number[]> {
  const { hiddenSize: d, intermediateSize: inner, vocabSize: v } = config;
  const perLayer: Record<string, number[]> = {
    'input_layernorm.weight': [d],
    'input_layernorm.bias': [d],
    'post_attention_layernorm.weight': [d],
    'post_attention_layernorm.bias': [d],
    'attention.query_key_value.weight': [3 * d, d],
    'attention.query_key_value.bias': [3 * d],
    'attention.dense.weight': [d, d],
    'attention.dense.bias': [d],
    'mlp.dense_h_to_4h.weight': [inner, d],
    'mlp.dense_h_to_4h.bias': [inner],
    'mlp.dense_4h_to_h.weight': [d, inner],
    'mlp.dense_4h_to_h.bias': [d],
  };
  if (!config.biases.qkv) delete perLayer['attention.query_key_value.bias'];
  if (!config.biases.o) delete perLayer['attention.dense.bias'];
  const result = new Map<string, number[]>([[names.embed, [v, d]]]);
  for (let layer = 0; layer < config.numLayers; layer++) for (const [suffix, shape] of Object.entries(perLayer)) result.set(`${prefix(layer)}.${suffix}`, shape);
  result.set('gpt_neox.final_layer_norm.weight', [d]);
  result.set('gpt_neox.final_layer_norm.bias', [d]);
  if (!config.tieWordEmbeddings) result.set(names.head, [v, d]);
  return result;
}

/**
 * GPT-NeoX's weights (`gpt_neox.layers.N.attention.query_key_value`, `embed_out`, …). The
 * checkpoints' buffers (`attention.bias`, `attention.masked_bias`, `rotary_emb.inv_freq`) are
 * recomputed, not read.
 */
export const gptNeoxLayout: DecoderWeightLayout = {
  shapes,
  load(config, weights, parameters) {
    const expected = shapes(config);
    const get = (name: string) => requireWeight(weights, name, expected.get(name) ?? []);
    const order = qkvOrder(config);
    loadEmbedding(config, get, parameters, names);
    for (let layer = 0; layer < config.numLayers; layer++) {
      const [p, l] = [prefix(layer), `layers.${layer}`];
      parameters.add(`${l}.qkv`, gatherColumns(linearToInOut(get(`${p}.attention.query_key_value.weight`)), order));
      if (config.biases.qkv) parameters.add(`${l}.qkvBias`, gatherColumns(get(`${p}.attention.query_key_value.bias`), order));
      for (const entry of layerEntries(config)) {
        const tensor = get(`${p}.${entry.suffix}`);
        parameters.add(`${l}.${entry.internal}`, entry.linear ? linearToInOut(tensor) : tensor);
      }
    }
    parameters.add('norm', get('gpt_neox.final_layer_norm.weight'));
    parameters.add('normBias', get('gpt_neox.final_layer_norm.bias'));
    return [];
  },
  save(config, parameters) {
    const weights = new Map<string, HostTensor>();
    const order = qkvOrder(config);
    saveEmbedding(config, parameters, weights, names);
    for (let layer = 0; layer < config.numLayers; layer++) {
      const [p, l] = [prefix(layer), `layers.${layer}`];
      weights.set(`${p}.attention.query_key_value.weight`, inOutToLinear(scatterColumns(parameters.read(`${l}.qkv`), order)));
      if (config.biases.qkv) weights.set(`${p}.attention.query_key_value.bias`, scatterColumns(parameters.read(`${l}.qkvBias`), order));
      for (const entry of layerEntries(config)) {
        const tensor = parameters.read(`${l}.${entry.internal}`);
        weights.set(`${p}.${entry.suffix}`, entry.linear ? inOutToLinear(tensor) : tensor);
      }
    }
    weights.set('gpt_neox.final_layer_norm.weight', parameters.read('norm'));
    weights.set('gpt_neox.final_layer_norm.bias', parameters.read('normBias'));
    return weights;
  },
  loraSites(config, parameters) {
    const { hiddenSize: d, intermediateSize: inner } = config;
    return Array.from({ length: config.numLayers }, (_, layer) => {
      const [p, l] = [prefix(layer), `layers.${layer}`];
      return [
        // One module whose per-head [q | k | v] outputs are reordered into the internal columns.
        ...fusedSites(parameters.get(`${l}.qkv`), [{ module: `${p}.attention.query_key_value`, width: 3 * d, order: qkvOrder(config) }]),
        ...fusedSites(parameters.get(`${l}.o`), [{ module: `${p}.attention.dense`, width: d }]),
        ...fusedSites(parameters.get(`${l}.fc`), [{ module: `${p}.mlp.dense_h_to_4h`, width: inner }]),
        ...fusedSites(parameters.get(`${l}.down`), [{ module: `${p}.mlp.dense_4h_to_h`, width: d }]),
      ];
    }).flat();
  },
};
