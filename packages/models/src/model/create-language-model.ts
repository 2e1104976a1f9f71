import type { TokenizerV1 } from '@rlgf/contracts';
import { createArchitectureRegistry, type ArchitectureRegistry } from '../architectures/registry';
import type { TokenizerFiles } from '../tokenizers/tokenizer-files';
import type { WeightMap } from '../weights/weight-map';
import { CausalLanguageModel } from './causal-language-model';

export interface CreateLanguageModelOptions {
  /** Whether the variables are trainable (default true). */
  readonly trainable?: boolean;
  /** Architectures to choose from (default: the built-in Llama and GPT-2 modules). */
  readonly registry?: ArchitectureRegistry;
  /** The tokenizer's files, kept for saving the model. */
  readonly tokenizerFiles?: TokenizerFiles;
}

/** Builds a model from a parsed `config.json`, its weights and its tokenizer. */
export function createLanguageModel(
  config: Readonly<Record<string, unknown>>,
  weights: WeightMap,
  tokenizer: TokenizerV1,
  options: CreateLanguageModelOptions = {},
): CausalLanguageModel {
  const architecture = (options.registry ?? createArchitectureRegistry()).resolve(config);
  const network = architecture.build(architecture.parseConfig(config), weights, { trainable: options.trainable ?? true });
  return new CausalLanguageModel(network, tokenizer, architecture, options.tokenizerFiles);
}
