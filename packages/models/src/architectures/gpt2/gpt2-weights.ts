import { fusedSites, type LoraSite } from '../../lora/lora-site';
import type { HostTensor, WeightMap } from '../../weights/weight-map';
import { inOutToLinear, linearToInOut } from '../host-layout';
import type { HostParameters, ParameterSet } from '../parameters';
import { requireWeight } from '../weight-checks';
import type { Gpt2Config } from './gpt2-config';

/** Per-layer weights: Hugging Face suffix (after `h.N.`) → internal name suffix. */
const layerWeights: readonly [string, string][] = [
  ['ln_1.weight', 'ln1.gamma'],
  ['ln_1.bias', 'ln1.beta'],
  ['attn.c_attn.weight', 'attn.w'],
  ['attn.c_attn.bias', 'attn.b'],
  ['attn.c_proj.weight', 'attnProj.w'],
  ['attn.c_proj.bias', 'attnProj.b'],
  ['ln_2.weight', 'ln2.gamma'],
  ['ln_2.bias', 'ln2.beta'],
  ['mlp.c_fc.weight', 'fc.w'],
  ['mlp.c_fc.bias', 'fc.b'],
  ['mlp.c_proj.weight', 'mlpProj.w'],
  ['mlp.c_proj.bias', 'mlpProj.b'],
];

/** Hugging Face names (with the `transformer.` prefix) and shapes of every GPT-2 weight. */
export function gpt2WeightShapes(config: Gpt2Config): Map<string, number[]> {
  const { hiddenSize: d, innerSize: inner } = config;
  const perLayer: Record<string, number[]> = {
    'ln_1.weight': [d],
    'ln_1.bias': [d],
    'attn.c_attn.weight': [d, 3 * d],
    'attn.c_attn.bias': [3 * d],
    'attn.c_proj.weight': [d, d],
    'attn.c_proj.bias': [d],
    'ln_2.weight': [d],
    'ln_2.bias': [d],
    'mlp.c_fc.weight': [d, inner],
    'mlp.c_fc.bias': [inner],
    'mlp.c_proj.weight': [inner, d],
    'mlp.c_proj.bias': [d],
  };
  const shapes = new Map<string, number[]>([
    ['transformer.wte.weight', [config.vocabSize, d]],
    ['transformer.wpe.weight', [config.maxPositions, d]],
  ]);
  for (let layer = 0; layer < config.numLayers; layer++) {
    for (const [suffix] of layerWeights) shapes.set(`transformer.h.${layer}.${suffix}`, perLayer[suffix]);
  }
  shapes.set('transformer.ln_f.weight', [d]);
  shapes.set('transformer.ln_f.bias', [d]);
  return shapes;
}

/** Checkpoints saved from `GPT2Model` carry no `transformer.` prefix; `GPT2LMHeadModel` ones do. */
function prefixOf(weights: WeightMap): string {
  return weights.has('transformer.wte.weight') ? 'transformer.' : '';
}

/**
 * Loads GPT-2 weights. Conv1D weights are stored [in, out] already; the LM head is always tied to
 * `wte` (a stored `lm_head.weight` is the same tensor and is not read). A missing bias starts at
 * zero, as transformers initialises weights absent from a checkpoint (some conversions drop
 * `c_attn.bias` together with the `attn.bias` mask buffer, e.g. sshleifer/tiny-gpt2's). Returns the
 * names of those biases, for the warning transformers gives too ("newly initialized").
 */
export function loadGpt2Parameters(config: Gpt2Config, weights: WeightMap, parameters: ParameterSet): string[] {
  const shapes = gpt2WeightShapes(config);
  const prefix = prefixOf(weights);
  const newlyInitialized: string[] = [];
  const get = (name: string) => {
    const shape = shapes.get(`transformer.${name}`) ?? [];
    if (name.endsWith('.bias') && !weights.has(`${prefix}${name}`)) {
      newlyInitialized.push(`${prefix}${name}`);
      return { shape, data: new Float32Array(shape[0]) };
    }
    return requireWeight(weights, `${prefix}${name}`, shape);
  };
  parameters.add('head', linearToInOut(get('wte.weight')));
  parameters.add('wpe', get('wpe.weight'));
  for (let layer = 0; layer < config.numLayers; layer++) {
    for (const [suffix, internal] of layerWeights) parameters.add(`layers.${layer}.${internal}`, get(`h.${layer}.${suffix}`));
  }
  parameters.add('lnf.gamma', get('ln_f.weight'));
  parameters.add('lnf.beta', get('ln_f.bias'));
  return newlyInitialized;
}

/** The inverse of {@link loadGpt2Parameters}, as `GPT2LMHeadModel` names (tied head not stored). */
export function saveGpt2Parameters(config: Gpt2Config, parameters: HostParameters): Map<string, HostTensor> {
  const weights = new Map<string, HostTensor>();
  weights.set('transformer.wte.weight', inOutToLinear(parameters.read('head')));
  weights.set('transformer.wpe.weight', parameters.read('wpe'));
  for (let layer = 0; layer < config.numLayers; layer++) {
    for (const [suffix, internal] of layerWeights) weights.set(`transformer.h.${layer}.${suffix}`, parameters.read(`layers.${layer}.${internal}`));
  }
  weights.set('transformer.ln_f.weight', parameters.read('lnf.gamma'));
  weights.set('transformer.ln_f.bias', parameters.read('lnf.beta'));
  return weights;
}

/** The LoRA sites of every GPT-2 block: its Conv1D modules, stored [in, out] as the network multiplies. */
export function gpt2LoraSites(config: Gpt2Config, parameters: ParameterSet): LoraSite[] {
  const { hiddenSize: d, innerSize: inner } = config;
  const modules: readonly [string, string, number][] = [
    ['attn.c_attn', 'attn.w', 3 * d],
    ['attn.c_proj', 'attnProj.w', d],
    ['mlp.c_fc', 'fc.w', inner],
    ['mlp.c_proj', 'mlpProj.w', d],
  ];
  return Array.from({ length: config.numLayers }, (_, layer) =>
    modules.flatMap(([suffix, internal, width]) => fusedSites(parameters.get(`layers.${layer}.${internal}`), [{ module: `transformer.h.${layer}.${suffix}`, width }], { conv1d: true })),
  ).flat();
}
