import { fusedSites, type LoraSite } from '../../lora/lora-site';
import type { HostTensor, WeightMap } from '../../weights/weight-map';
import { concatColumns, inOutToLinear, linearToInOut, splitColumns } from '../host-layout';
import type { HostParameters, ParameterSet } from '../parameters';
import { requireWeight } from '../weight-checks';
import type { T5Config } from './t5-config';

export type T5Stack = 'encoder' | 'decoder';

const layerPrefix = (stack: T5Stack, layer: number) => `${stack}.block.${layer}.layer`;
const relativeBiasName = (stack: T5Stack) => `${stack}.block.0.layer.0.SelfAttention.relative_attention_bias.weight`;
/** Sub-layer index of the feed-forward: after self-attention (and cross-attention in the decoder). */
const feedForwardIndex = (stack: T5Stack) => (stack === 'encoder' ? 1 : 2);

function layerCount(config: T5Config, stack: T5Stack): number {
  return stack === 'encoder' ? config.numLayers : config.numDecoderLayers;
}

/** Hugging Face names and PyTorch shapes of every T5 weight (`shared.weight` holds the tied embeddings). */
export function t5WeightShapes(config: T5Config): Map<string, number[]> {
  const { hiddenSize: d, headDim, numHeads, feedForwardSize: ff, vocabSize } = config;
  const inner = numHeads * headDim;
  const shapes = new Map<string, number[]>([['shared.weight', [vocabSize, d]]]);
  for (const stack of ['encoder', 'decoder'] as const) {
    shapes.set(relativeBiasName(stack), [config.relativeBuckets, numHeads]);
    for (let layer = 0; layer < layerCount(config, stack); layer++) {
      const attention = (prefix: string) => {
        for (const name of ['q', 'k', 'v']) shapes.set(`${prefix}.${name}.weight`, [inner, d]);
        shapes.set(`${prefix}.o.weight`, [d, inner]);
      };
      const p = layerPrefix(stack, layer);
      attention(`${p}.0.SelfAttention`);
      shapes.set(`${p}.0.layer_norm.weight`, [d]);
      if (stack === 'decoder') {
        attention(`${p}.1.EncDecAttention`);
        shapes.set(`${p}.1.layer_norm.weight`, [d]);
      }
      const f = `${p}.${feedForwardIndex(stack)}`;
      for (const name of config.gated ? ['wi_0', 'wi_1'] : ['wi']) shapes.set(`${f}.DenseReluDense.${name}.weight`, [ff, d]);
      shapes.set(`${f}.DenseReluDense.wo.weight`, [d, ff]);
      shapes.set(`${f}.layer_norm.weight`, [d]);
    }
    shapes.set(`${stack}.final_layer_norm.weight`, [d]);
  }
  if (!config.tieWordEmbeddings) shapes.set('lm_head.weight', [vocabSize, d]);
  return shapes;
}

/** The standard deviation transformers' `T5PreTrainedModel._init_weights` draws each weight with. */
export function t5InitialStd(config: T5Config, name: string): number {
  const { hiddenSize: d, headDim, numHeads, feedForwardSize: ff } = config;
  if (/\.(q)\.weight$/.test(name)) return (d * headDim) ** -0.5;
  if (/\.(k|v|wi|wi_0|wi_1)\.weight$/.test(name) || name.endsWith('relative_attention_bias.weight')) return d ** -0.5;
  if (/\.o\.weight$/.test(name)) return (numHeads * headDim) ** -0.5;
  if (/\.wo\.weight$/.test(name)) return ff ** -0.5;
  return 1;
}

/** The embedding table: `shared.weight`, or the copy some exports keep under a stack's `embed_tokens`. */
function sharedEmbedding(config: T5Config, weights: WeightMap): HostTensor {
  const shape = [config.vocabSize, config.hiddenSize];
  const name = ['shared.weight', 'encoder.embed_tokens.weight', 'decoder.embed_tokens.weight'].find((candidate) => weights.has(candidate)) ?? 'shared.weight';
  return requireWeight(weights, name, shape);
}

/**
 * Loads Hugging Face weights into internal parameters: projections as [in, out], self-attention
 * q/k/v fused into `qkv`, cross-attention k/v into `crossKv`, a gated feed-forward's wi_0/wi_1
 * into `wiGateUp` (one product each), and a tied embedding kept once in the head's layout.
 */
export function loadT5Parameters(config: T5Config, weights: WeightMap, parameters: ParameterSet): void {
  const shapes = t5WeightShapes(config);
  const get = (name: string) => requireWeight(weights, name, shapes.get(name) ?? []);
  const linear = (name: string) => linearToInOut(get(name));
  const shared = sharedEmbedding(config, weights);
  if (config.tieWordEmbeddings) {
    parameters.add('head', linearToInOut(shared));
  } else {
    parameters.add('embed', shared);
    parameters.add('head', linear('lm_head.weight'));
  }
  for (const stack of ['encoder', 'decoder'] as const) {
    const s = stack === 'encoder' ? 'enc' : 'dec';
    parameters.add(`${s}.relativeBias`, get(relativeBiasName(stack)));
    for (let layer = 0; layer < layerCount(config, stack); layer++) {
      const p = layerPrefix(stack, layer);
      const l = `${s}.${layer}`;
      const self = `${p}.0.SelfAttention`;
      parameters.add(`${l}.selfNorm`, get(`${p}.0.layer_norm.weight`));
      parameters.add(`${l}.qkv`, concatColumns(['q', 'k', 'v'].map((name) => linear(`${self}.${name}.weight`))));
      parameters.add(`${l}.o`, linear(`${self}.o.weight`));
      if (stack === 'decoder') {
        const cross = `${p}.1.EncDecAttention`;
        parameters.add(`${l}.crossNorm`, get(`${p}.1.layer_norm.weight`));
        parameters.add(`${l}.crossQ`, linear(`${cross}.q.weight`));
        parameters.add(`${l}.crossKv`, concatColumns(['k', 'v'].map((name) => linear(`${cross}.${name}.weight`))));
        parameters.add(`${l}.crossO`, linear(`${cross}.o.weight`));
      }
      const f = `${p}.${feedForwardIndex(stack)}`;
      parameters.add(`${l}.ffNorm`, get(`${f}.layer_norm.weight`));
      parameters.add(`${l}.wi`, config.gated ? concatColumns(['wi_0', 'wi_1'].map((name) => linear(`${f}.DenseReluDense.${name}.weight`))) : linear(`${f}.DenseReluDense.wi.weight`));
      parameters.add(`${l}.wo`, linear(`${f}.DenseReluDense.wo.weight`));
    }
    parameters.add(`${s}.norm`, get(`${stack}.final_layer_norm.weight`));
  }
}

/** The inverse of {@link loadT5Parameters}: bit-exact Hugging Face weights (`shared.weight` once, as transformers saves it). */
export function saveT5Parameters(config: T5Config, parameters: HostParameters): Map<string, HostTensor> {
  const weights = new Map<string, HostTensor>();
  const inner = config.numHeads * config.headDim;
  const linear = (name: string, tensor: HostTensor) => weights.set(name, inOutToLinear(tensor));
  if (config.tieWordEmbeddings) {
    linear('shared.weight', parameters.read('head'));
  } else {
    weights.set('shared.weight', parameters.read('embed'));
    linear('lm_head.weight', parameters.read('head'));
  }
  for (const stack of ['encoder', 'decoder'] as const) {
    const s = stack === 'encoder' ? 'enc' : 'dec';
    weights.set(relativeBiasName(stack), parameters.read(`${s}.relativeBias`));
    for (let layer = 0; layer < layerCount(config, stack); layer++) {
      const p = layerPrefix(stack, layer);
      const l = `${s}.${layer}`;
      const self = `${p}.0.SelfAttention`;
      weights.set(`${p}.0.layer_norm.weight`, parameters.read(`${l}.selfNorm`));
      splitColumns(parameters.read(`${l}.qkv`), [inner, inner, inner]).forEach((part, i) => linear(`${self}.${'qkv'[i]}.weight`, part));
      linear(`${self}.o.weight`, parameters.read(`${l}.o`));
      if (stack === 'decoder') {
        const cross = `${p}.1.EncDecAttention`;
        weights.set(`${p}.1.layer_norm.weight`, parameters.read(`${l}.crossNorm`));
        linear(`${cross}.q.weight`, parameters.read(`${l}.crossQ`));
        splitColumns(parameters.read(`${l}.crossKv`), [inner, inner]).forEach((part, i) => linear(`${cross}.${'kv'[i]}.weight`, part));
        linear(`${cross}.o.weight`, parameters.read(`${l}.crossO`));
      }
      const f = `${p}.${feedForwardIndex(stack)}`;
      weights.set(`${f}.layer_norm.weight`, parameters.read(`${l}.ffNorm`));
      if (config.gated) {
        const [gate, up] = splitColumns(parameters.read(`${l}.wi`), [config.feedForwardSize, config.feedForwardSize]);
        linear(`${f}.DenseReluDense.wi_0.weight`, gate);
        linear(`${f}.DenseReluDense.wi_1.weight`, up);
      } else {
        linear(`${f}.DenseReluDense.wi.weight`, parameters.read(`${l}.wi`));
      }
      linear(`${f}.DenseReluDense.wo.weight`, parameters.read(`${l}.wo`));
    }
    weights.set(`${stack}.final_layer_norm.weight`, parameters.read(`${s}.norm`));
  }
  return weights;
}

/** The LoRA sites of both stacks under PEFT's module paths (`encoder.block.0.layer.0.SelfAttention.q`, …). */
export function t5LoraSites(config: T5Config, parameters: ParameterSet): LoraSite[] {
  const { hiddenSize: d, feedForwardSize: ff } = config;
  const inner = config.numHeads * config.headDim;
  const sites: LoraSite[] = [];
  for (const stack of ['encoder', 'decoder'] as const) {
    const s = stack === 'encoder' ? 'enc' : 'dec';
    for (let layer = 0; layer < layerCount(config, stack); layer++) {
      const [p, l] = [layerPrefix(stack, layer), `${s}.${layer}`];
      const self = `${p}.0.SelfAttention`;
      sites.push(...fusedSites(parameters.get(`${l}.qkv`), ['q', 'k', 'v'].map((name) => ({ module: `${self}.${name}`, width: inner }))));
      sites.push(...fusedSites(parameters.get(`${l}.o`), [{ module: `${self}.o`, width: d }]));
      if (stack === 'decoder') {
        const cross = `${p}.1.EncDecAttention`;
        sites.push(...fusedSites(parameters.get(`${l}.crossQ`), [{ module: `${cross}.q`, width: inner }]));
        sites.push(...fusedSites(parameters.get(`${l}.crossKv`), ['k', 'v'].map((name) => ({ module: `${cross}.${name}`, width: inner }))));
        sites.push(...fusedSites(parameters.get(`${l}.crossO`), [{ module: `${cross}.o`, width: d }]));
      }
      const f = `${p}.${feedForwardIndex(stack)}.DenseReluDense`;
      sites.push(...fusedSites(parameters.get(`${l}.wi`), (config.gated ? ['wi_0', 'wi_1'] : ['wi']).map((name) => ({ module: `${f}.${name}`, width: ff }))));
      sites.push(...fusedSites(parameters.get(`${l}.wo`), [{ module: `${f}.wo`, width: d }]));
    }
  }
  return sites;
}
