import { blockOrder, fusedSites, type LoraSite } from '../../lora/lora-site';
import type { HostTensor } from '../../weights/weight-map';
import { concatColumns, inOutToLinear, linearToInOut, splitColumns } from '../host-layout';
import type { HostParameters, ParameterSet } from '../parameters';
import { rotaryFeatureOrder } from '../rope';
import { requireWeight } from '../weight-checks';
import type { DecoderConfig } from './decoder-config';
import { gatherColumns, qkvColumnOrder, scatterColumns, type DecoderWeightLayout } from './decoder-weights';

const prefix = (layer: number) => `model.layers.${layer}`;

/**
 * The weights of the families that keep Llama's names (`model.layers.N.self_attn.q_proj`, …):
 * Qwen2 and Qwen3 (biases, q/k norms), Mistral, Gemma 2 (norms around attention and MLP), and,
 * with `fused`, Phi-3 (`qkv_proj` and `gate_up_proj` stored fused). Internally q/k/v and gate/up
 * are always fused [in, out] matrices: one product each per layer.
 */
export function llamaNamedLayout(options: { readonly fused: boolean }): DecoderWeightLayout {
  const shapes = (config: DecoderConfig) => {
    const { hiddenSize: d, headDim: dh, numHeads: h, numKvHeads: kv, intermediateSize: inner } = config;
    const result = new Map<string, number[]>([['model.embed_tokens.weight', [config.vocabSize, d]]]);
    for (let layer = 0; layer < config.numLayers; layer++) {
      const p = prefix(layer);
      const projections: [string, number[]][] = options.fused
        ? [[`${p}.self_attn.qkv_proj.weight`, [(h + 2 * kv) * dh, d]], [`${p}.mlp.gate_up_proj.weight`, [2 * inner, d]]]
        : [
            [`${p}.self_attn.q_proj.weight`, [h * dh, d]],
            [`${p}.self_attn.k_proj.weight`, [kv * dh, d]],
            [`${p}.self_attn.v_proj.weight`, [kv * dh, d]],
            [`${p}.mlp.gate_proj.weight`, [inner, d]],
            [`${p}.mlp.up_proj.weight`, [inner, d]],
          ];
      for (const [name, shape] of projections) result.set(name, shape);
      if (config.biases.qkv) for (const [part, width] of [['q', h * dh], ['k', kv * dh], ['v', kv * dh]] as const) result.set(`${p}.self_attn.${part}_proj.bias`, [width]);
      if (config.qkNorm) for (const part of ['q', 'k']) result.set(`${p}.self_attn.${part}_norm.weight`, [dh]);
      result.set(`${p}.self_attn.o_proj.weight`, [d, h * dh]);
      if (config.biases.o) result.set(`${p}.self_attn.o_proj.bias`, [d]);
      result.set(`${p}.mlp.down_proj.weight`, [d, inner]);
      for (const norm of normNames(config)) result.set(`${p}.${norm[1]}.weight`, [d]);
    }
    result.set('model.norm.weight', [d]);
    if (!config.tieWordEmbeddings) result.set('lm_head.weight', [config.vocabSize, d]);
    return result;
  };

  return {
    shapes,
    load(config, weights, parameters) {
      const expected = shapes(config);
      const get = (name: string) => requireWeight(weights, name, expected.get(name) ?? []);
      const linearOf = (name: string) => linearToInOut(get(`${name}.weight`));
      const { order, features } = columnOrders(config);
      loadEmbedding(config, get, parameters);
      for (let layer = 0; layer < config.numLayers; layer++) {
        const [p, l] = [prefix(layer), `layers.${layer}`];
        const qkv = options.fused ? linearOf(`${p}.self_attn.qkv_proj`) : concatColumns(['q', 'k', 'v'].map((part) => linearOf(`${p}.self_attn.${part}_proj`)));
        parameters.add(`${l}.qkv`, gatherColumns(qkv, order));
        if (config.biases.qkv) parameters.add(`${l}.qkvBias`, gatherColumns(concatBias(['q', 'k', 'v'].map((part) => get(`${p}.self_attn.${part}_proj.bias`))), order));
        if (config.qkNorm) for (const part of ['q', 'k']) parameters.add(`${l}.${part}Norm`, gatherColumns(get(`${p}.self_attn.${part}_norm.weight`), features));
        parameters.add(`${l}.o`, linearOf(`${p}.self_attn.o_proj`));
        if (config.biases.o) parameters.add(`${l}.oBias`, get(`${p}.self_attn.o_proj.bias`));
        parameters.add(`${l}.gateUp`, options.fused ? linearOf(`${p}.mlp.gate_up_proj`) : concatColumns([linearOf(`${p}.mlp.gate_proj`), linearOf(`${p}.mlp.up_proj`)]));
        parameters.add(`${l}.down`, linearOf(`${p}.mlp.down_proj`));
        for (const [internal, name] of normNames(config)) parameters.add(`${l}.${internal}`, get(`${p}.${name}.weight`));
      }
      parameters.add('norm', get('model.norm.weight'));
      return [];
    },
    save(config, parameters) {
      const weights = new Map<string, HostTensor>();
      const { headDim: dh, numHeads: h, numKvHeads: kv, intermediateSize: inner } = config;
      const { order, features } = columnOrders(config);
      saveEmbedding(config, parameters, weights);
      for (let layer = 0; layer < config.numLayers; layer++) {
        const [p, l] = [prefix(layer), `layers.${layer}`];
        const qkv = scatterColumns(parameters.read(`${l}.qkv`), order);
        const widths = [h * dh, kv * dh, kv * dh];
        if (options.fused) weights.set(`${p}.self_attn.qkv_proj.weight`, inOutToLinear(qkv));
        else splitColumns(qkv, widths).forEach((part, i) => weights.set(`${p}.self_attn.${'qkv'[i]}_proj.weight`, inOutToLinear(part)));
        if (config.biases.qkv) {
          const bias = scatterColumns(parameters.read(`${l}.qkvBias`), order);
          splitColumns({ shape: [1, bias.data.length], data: bias.data }, widths).forEach((part, i) => weights.set(`${p}.self_attn.${'qkv'[i]}_proj.bias`, { shape: [part.shape[1]], data: part.data }));
        }
        if (config.qkNorm) for (const part of ['q', 'k']) weights.set(`${p}.self_attn.${part}_norm.weight`, scatterColumns(parameters.read(`${l}.${part}Norm`), features));
        weights.set(`${p}.self_attn.o_proj.weight`, inOutToLinear(parameters.read(`${l}.o`)));
        if (config.biases.o) weights.set(`${p}.self_attn.o_proj.bias`, parameters.read(`${l}.oBias`));
        const gateUp = parameters.read(`${l}.gateUp`);
        if (options.fused) weights.set(`${p}.mlp.gate_up_proj.weight`, inOutToLinear(gateUp));
        else splitColumns(gateUp, [inner, inner]).forEach((part, i) => weights.set(`${p}.mlp.${i === 0 ? 'gate' : 'up'}_proj.weight`, inOutToLinear(part)));
        weights.set(`${p}.mlp.down_proj.weight`, inOutToLinear(parameters.read(`${l}.down`)));
        for (const [internal, name] of normNames(config)) weights.set(`${p}.${name}.weight`, parameters.read(`${l}.${internal}`));
      }
      weights.set('model.norm.weight', parameters.read('norm'));
      return weights;
    },
    loraSites(config, parameters) {
      const { headDim: dh, numHeads: h, numKvHeads: kv, intermediateSize: inner, hiddenSize: d } = config;
      const { order } = columnOrders(config);
      return Array.from({ length: config.numLayers }, (_, layer) => {
        const [p, l] = [prefix(layer), `layers.${layer}`];
        const widths = [h * dh, kv * dh, kv * dh];
        // Query and key features sit in the rotary order inside their block: an adapter's B columns follow them.
        const qkv = options.fused
          ? [{ module: `${p}.self_attn.qkv_proj`, width: (h + 2 * kv) * dh, order }]
          : ['q', 'k', 'v'].map((part, i) => {
              const offset = widths.slice(0, i).reduce((a, b) => a + b, 0);
              return { module: `${p}.self_attn.${part}_proj`, width: widths[i], order: blockOrder(order, offset, widths[i]) };
            });
        const gateUp = options.fused ? [{ module: `${p}.mlp.gate_up_proj`, width: 2 * inner }] : ['gate', 'up'].map((part) => ({ module: `${p}.mlp.${part}_proj`, width: inner }));
        const sites: LoraSite[] = [
          ...fusedSites(parameters.get(`${l}.qkv`), qkv),
          ...fusedSites(parameters.get(`${l}.o`), [{ module: `${p}.self_attn.o_proj`, width: d }]),
          ...fusedSites(parameters.get(`${l}.gateUp`), gateUp),
          ...fusedSites(parameters.get(`${l}.down`), [{ module: `${p}.mlp.down_proj`, width: d }]),
        ];
        return sites;
      }).flat();
    },
  };
}

/** Internal norm names → Hugging Face layer norms; Gemma 2 adds the two around its MLP. */
function normNames(config: DecoderConfig): [string, string][] {
  const names: [string, string][] = [
    ['inputNorm', 'input_layernorm'],
    ['postNorm', 'post_attention_layernorm'],
  ];
  if (config.residual === 'sandwich') names.push(['preFfnNorm', 'pre_feedforward_layernorm'], ['postFfnNorm', 'post_feedforward_layernorm']);
  return names;
}

function columnOrders(config: DecoderConfig) {
  const { numHeads: h, numKvHeads: kv, headDim: dh } = config;
  const features = rotaryFeatureOrder(dh, config.rope.rotaryDim);
  const offsets = [0, h * dh, (h + kv) * dh];
  return { features, order: qkvColumnOrder(config, features, (part, head, feature) => offsets[part] + head * dh + feature) };
}

function concatBias(parts: readonly HostTensor[]): HostTensor {
  const data = new Float32Array(parts.reduce((sum, part) => sum + part.data.length, 0));
  let offset = 0;
  for (const part of parts) {
    data.set(part.data, offset);
    offset += part.data.length;
  }
  return { shape: [data.length], data };
}

/** `head` in [hidden, vocab] (tied: the embedding too), `embed` [vocab, hidden] when untied. */
export function loadEmbedding(config: DecoderConfig, get: (name: string) => HostTensor, parameters: ParameterSet, names = { embed: 'model.embed_tokens.weight', head: 'lm_head.weight' }): void {
  if (config.tieWordEmbeddings) {
    parameters.add('head', linearToInOut(get(names.embed)));
    return;
  }
  parameters.add('embed', get(names.embed));
  parameters.add('head', linearToInOut(get(names.head)));
}

export function saveEmbedding(config: DecoderConfig, parameters: HostParameters, weights: Map<string, HostTensor>, names = { embed: 'model.embed_tokens.weight', head: 'lm_head.weight' }): void {
  if (config.tieWordEmbeddings) {
    weights.set(names.embed, inOutToLinear(parameters.read('head')));
    return;
  }
  weights.set(names.embed, parameters.read('embed'));
  weights.set(names.head, inOutToLinear(parameters.read('head')));
}
