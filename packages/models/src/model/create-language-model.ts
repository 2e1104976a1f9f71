import type { TokenizerV1 } from '@rlgf/contracts';
import type { ArchitectureRegistry } from '../architectures/registry';
import type { TokenizerFiles } from '../tokenizers/tokenizer-files';
import type { WeightMap } from '../weights/weight-map';
import type { ModelArchitecture } from './model-architecture';
import { createModelRegistry } from './model-registry';
import type { TrainableLanguageModel } from './trainable-language-model';

export interface CreateLanguageModelOptions {
  /** Whether the variables are trainable (default true). */
  readonly trainable?: boolean;
  /** Architectures to choose from (default: the built-in Llama, GPT-2 and T5 modules). */
  readonly registry?: ArchitectureRegistry<ModelArchitecture>;
  /** The tokenizer's files, kept for saving the model. */
  readonly tokenizerFiles?: TokenizerFiles;
  /** Told one line when the checkpoint lacks tensors the architecture starts at a default. */
  readonly warn?: (message: string) => void;
}

/** Builds a model of whatever family `config.json` names from its weights and its tokenizer. */
export function createLanguageModel(
  config: Readonly<Record<string, unknown>>,
  weights: WeightMap,
  tokenizer: TokenizerV1,
  options: CreateLanguageModelOptions = {},
): TrainableLanguageModel {
  const architecture = (options.registry ?? createModelRegistry()).resolve(config);
  return architecture.createModel(config, weights, tokenizer, { trainable: options.trainable ?? true, tokenizerFiles: options.tokenizerFiles, warn: options.warn });
}
