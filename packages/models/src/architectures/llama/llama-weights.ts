import { fusedSites, type LoraSite } from '../../lora/lora-site';
import type { HostTensor, WeightMap } from '../../weights/weight-map';
import { concatColumns, inOutToLinear, linearToInOut, splitColumns } from '../host-layout';
import type { HostParameters, ParameterSet } from '../parameters';
import { requireWeight } from '../weight-checks';
import type { LlamaConfig } from './llama-config';

const layerPrefix = (layer: number) => `model.layers.${layer}`;

/** Hugging Face names and PyTorch shapes of every Llama weight. */
export function llamaWeightShapes(config: LlamaConfig): Map<string, number[]> {
  const { hiddenSize: d, headDim, numHeads, numKvHeads, intermediateSize: inner, vocabSize } = config;
  const shapes = new Map<string, number[]>([['model.embed_tokens.weight', [vocabSize, d]]]);
  for (let layer = 0; layer < config.numLayers; layer++) {
    const p = layerPrefix(layer);
    shapes.set(`${p}.self_attn.q_proj.weight`, [numHeads * headDim, d]);
    shapes.set(`${p}.self_attn.k_proj.weight`, [numKvHeads * headDim, d]);
    shapes.set(`${p}.self_attn.v_proj.weight`, [numKvHeads * headDim, d]);
    shapes.set(`${p}.self_attn.o_proj.weight`, [d, numHeads * headDim]);
    shapes.set(`${p}.mlp.gate_proj.weight`, [inner, d]);
    shapes.set(`${p}.mlp.up_proj.weight`, [inner, d]);
    shapes.set(`${p}.mlp.down_proj.weight`, [d, inner]);
    shapes.set(`${p}.input_layernorm.weight`, [d]);
    shapes.set(`${p}.post_attention_layernorm.weight`, [d]);
  }
  shapes.set('model.norm.weight', [d]);
  if (!config.tieWordEmbeddings) shapes.set('lm_head.weight', [vocabSize, d]);
  return shapes;
}

/**
 * Loads Hugging Face weights into internal parameters: projections as [in, out], q/k/v fused
 * into one `qkv` matrix and gate/up into one `gateUp` matrix (one product each per layer).
 */
export function loadLlamaParameters(config: LlamaConfig, weights: WeightMap, parameters: ParameterSet): void {
  const shapes = llamaWeightShapes(config);
  const get = (name: string) => requireWeight(weights, name, shapes.get(name) ?? []);
  if (config.tieWordEmbeddings) {
    parameters.add('head', linearToInOut(get('model.embed_tokens.weight')));
  } else {
    parameters.add('embed', get('model.embed_tokens.weight'));
    parameters.add('head', linearToInOut(get('lm_head.weight')));
  }
  for (let layer = 0; layer < config.numLayers; layer++) {
    const p = layerPrefix(layer);
    const attn = (name: string) => linearToInOut(get(`${p}.self_attn.${name}.weight`));
    const mlp = (name: string) => linearToInOut(get(`${p}.mlp.${name}.weight`));
    parameters.add(`layers.${layer}.qkv`, concatColumns([attn('q_proj'), attn('k_proj'), attn('v_proj')]));
    parameters.add(`layers.${layer}.o`, attn('o_proj'));
    parameters.add(`layers.${layer}.gateUp`, concatColumns([mlp('gate_proj'), mlp('up_proj')]));
    parameters.add(`layers.${layer}.down`, mlp('down_proj'));
    parameters.add(`layers.${layer}.inputNorm`, get(`${p}.input_layernorm.weight`));
    parameters.add(`layers.${layer}.postNorm`, get(`${p}.post_attention_layernorm.weight`));
  }
  parameters.add('norm', get('model.norm.weight'));
}

/** The inverse of {@link loadLlamaParameters}: bit-exact Hugging Face weights. */
export function saveLlamaParameters(config: LlamaConfig, parameters: HostParameters): Map<string, HostTensor> {
  const weights = new Map<string, HostTensor>();
  const { headDim, numHeads, numKvHeads, intermediateSize } = config;
  if (config.tieWordEmbeddings) {
    weights.set('model.embed_tokens.weight', inOutToLinear(parameters.read('head')));
  } else {
    weights.set('model.embed_tokens.weight', parameters.read('embed'));
    weights.set('lm_head.weight', inOutToLinear(parameters.read('head')));
  }
  for (let layer = 0; layer < config.numLayers; layer++) {
    const p = layerPrefix(layer);
    const [q, k, v] = splitColumns(parameters.read(`layers.${layer}.qkv`), [numHeads * headDim, numKvHeads * headDim, numKvHeads * headDim]);
    weights.set(`${p}.self_attn.q_proj.weight`, inOutToLinear(q));
    weights.set(`${p}.self_attn.k_proj.weight`, inOutToLinear(k));
    weights.set(`${p}.self_attn.v_proj.weight`, inOutToLinear(v));
    weights.set(`${p}.self_attn.o_proj.weight`, inOutToLinear(parameters.read(`layers.${layer}.o`)));
    const [gate, up] = splitColumns(parameters.read(`layers.${layer}.gateUp`), [intermediateSize, intermediateSize]);
    weights.set(`${p}.mlp.gate_proj.weight`, inOutToLinear(gate));
    weights.set(`${p}.mlp.up_proj.weight`, inOutToLinear(up));
    weights.set(`${p}.mlp.down_proj.weight`, inOutToLinear(parameters.read(`layers.${layer}.down`)));
    weights.set(`${p}.input_layernorm.weight`, parameters.read(`layers.${layer}.inputNorm`));
    weights.set(`${p}.post_attention_layernorm.weight`, parameters.read(`layers.${layer}.postNorm`));
  }
  weights.set('model.norm.weight', parameters.read('norm'));
  return weights;
}

/** The LoRA sites of every Llama layer under PEFT's module paths (q/k/v and gate/up are column blocks). */
export function llamaLoraSites(config: LlamaConfig, parameters: ParameterSet): LoraSite[] {
  const { headDim, numHeads, numKvHeads, intermediateSize } = config;
  return Array.from({ length: config.numLayers }, (_, layer) => {
    const [p, l] = [layerPrefix(layer), `layers.${layer}`];
    return [
      ...fusedSites(parameters.get(`${l}.qkv`), [
        { module: `${p}.self_attn.q_proj`, width: numHeads * headDim },
        { module: `${p}.self_attn.k_proj`, width: numKvHeads * headDim },
        { module: `${p}.self_attn.v_proj`, width: numKvHeads * headDim },
      ]),
      ...fusedSites(parameters.get(`${l}.o`), [{ module: `${p}.self_attn.o_proj`, width: config.hiddenSize }]),
      ...fusedSites(parameters.get(`${l}.gateUp`), [
        { module: `${p}.mlp.gate_proj`, width: intermediateSize },
        { module: `${p}.mlp.up_proj`, width: intermediateSize },
      ]),
      ...fusedSites(parameters.get(`${l}.down`), [{ module: `${p}.mlp.down_proj`, width: config.hiddenSize }]),
    ];
  }).flat();
}
