import type { TokenizerV1 } from '@rlgf/contracts';
import type { ArchitectureRegistry } from '../architectures/registry';
import type { TokenizerFiles } from '../tokenizers/tokenizer-files';
import type { ModelArchitecture } from './model-architecture';
import { createModelRegistry } from './model-registry';
import type { TrainableLanguageModel } from './trainable-language-model';

/**
 * A model with freshly initialised weights for `config` (a `config.json` object), each family
 * with its own initialisation (`std` overrides it): for training small models from scratch
 * (synthetic tasks, tests, benchmarks).
 */
export function createRandomLanguageModel(
  config: Readonly<Record<string, unknown>>,
  tokenizer: TokenizerV1,
  options: { seed: number; std?: number; registry?: ArchitectureRegistry<ModelArchitecture>; tokenizerFiles?: TokenizerFiles },
): TrainableLanguageModel {
  const architecture = (options.registry ?? createModelRegistry()).resolve(config);
  const weights = architecture.randomWeights(config, { seed: options.seed, std: options.std });
  return architecture.createModel(config, weights, tokenizer, { trainable: true, tokenizerFiles: options.tokenizerFiles });
}
