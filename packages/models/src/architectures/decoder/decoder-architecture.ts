import type { WeightMap } from '../../weights/weight-map';
import type { ArchitectureModule, CausalLmConfig } from '../causal-lm';
import type { DecoderConfig } from './decoder-config';
import { DecoderNetwork } from './decoder-network';
import type { DecoderWeightLayout } from './decoder-weights';

/** What a rotary decoder family supplies: its names, its config parser and its weight layout. */
export interface DecoderFamily {
  readonly modelTypes: readonly string[];
  readonly architectures: readonly string[];
  readonly parseConfig: (json: Readonly<Record<string, unknown>>) => DecoderConfig;
  readonly layout: DecoderWeightLayout;
  readonly loraTargetModules: readonly string[];
  readonly randomWeights?: (config: DecoderConfig, options: { readonly seed: number; readonly std?: number }) => WeightMap;
}

/** The architecture module of a {@link DecoderFamily}: networks are {@link DecoderNetwork}s. */
export function decoderArchitecture(family: DecoderFamily): ArchitectureModule {
  const { randomWeights } = family;
  return {
    modelTypes: family.modelTypes,
    architectures: family.architectures,
    loraTargetModules: family.loraTargetModules,
    parseConfig: family.parseConfig,
    build: (config, weights, options) => new DecoderNetwork(config as DecoderConfig, family.layout, weights, options),
    weightShapes: (config: CausalLmConfig) => family.layout.shapes(config as DecoderConfig),
    ...(randomWeights && { randomWeights: (config: CausalLmConfig, options: { seed: number; std?: number }) => randomWeights(config as DecoderConfig, options) }),
  };
}
