import type { TokenizerV1 } from '@rlgf/contracts';
import { createArchitectureRegistry, type ArchitectureRegistry } from '../architectures/registry';
import type { TokenizerFiles } from '../tokenizers/tokenizer-files';
import { randomWeightMap } from '../weights/random-weights';
import { CausalLanguageModel } from './causal-language-model';

/**
 * A model with freshly initialised weights for `config` (a `config.json` object): for training
 * small models from scratch (synthetic tasks, tests, benchmarks).
 */
export function createRandomLanguageModel(
  config: Readonly<Record<string, unknown>>,
  tokenizer: TokenizerV1,
  options: { seed: number; std?: number; registry?: ArchitectureRegistry; tokenizerFiles?: TokenizerFiles },
): CausalLanguageModel {
  const architecture = (options.registry ?? createArchitectureRegistry()).resolve(config);
  const parsed = architecture.parseConfig(config);
  const weights = randomWeightMap(architecture.weightShapes(parsed), { seed: options.seed, std: options.std });
  return new CausalLanguageModel(architecture.build(parsed, weights, { trainable: true }), tokenizer, architecture, options.tokenizerFiles);
}
