import type { TokenizerV1 } from '@rlgf/contracts';
import type { ArchitectureModule } from '../architectures/causal-lm';
import type { TokenizerFiles } from '../tokenizers/tokenizer-files';
import { randomWeightMap } from '../weights/random-weights';
import type { WeightMap } from '../weights/weight-map';
import { CausalLanguageModel } from './causal-language-model';
import type { TrainableLanguageModel } from './trainable-language-model';

export interface CreateModelOptions {
  readonly trainable: boolean;
  /** The tokenizer's files, kept for saving the model. */
  readonly tokenizerFiles?: TokenizerFiles;
  /** Told one line when the checkpoint lacks tensors the architecture starts at a default. */
  readonly warn?: (message: string) => void;
}

/**
 * One model family as the loaders see it (decoder-only Llama or GPT-2, encoder-decoder T5): which
 * `config.json` it reads and how it turns weights into a {@link TrainableLanguageModel}. The
 * loaders resolve a config through a registry of these; a new architecture is a new module in the
 * registry, never a new branch in the loaders.
 */
export interface ModelArchitecture {
  /** `config.json` `model_type` values this module reads. */
  readonly modelTypes: readonly string[];
  /** `config.json` `architectures` entries this module builds. */
  readonly architectures: readonly string[];
  createModel(config: Readonly<Record<string, unknown>>, weights: WeightMap, tokenizer: TokenizerV1, options: CreateModelOptions): TrainableLanguageModel;
  /** PEFT `target_modules` names of the family's linear layers (see `ArchitectureModule.loraTargetModules`). */
  readonly loraTargetModules: readonly string[];
  /** Fresh weights for training from scratch, the same for the same seed. */
  randomWeights(config: Readonly<Record<string, unknown>>, options: { readonly seed: number; readonly std?: number }): WeightMap;
}

/** A decoder-only architecture module (a `CausalLmNetwork` builder) as a model architecture. */
export function decoderOnlyArchitecture(module: ArchitectureModule): ModelArchitecture {
  return {
    modelTypes: module.modelTypes,
    architectures: module.architectures,
    loraTargetModules: module.loraTargetModules,
    createModel(config, weights, tokenizer, options) {
      const network = module.build(module.parseConfig(config), weights, { trainable: options.trainable, warn: options.warn });
      return new CausalLanguageModel(network, tokenizer, module, options.tokenizerFiles);
    },
    randomWeights(config, options) {
      const parsed = module.parseConfig(config);
      return module.randomWeights?.(parsed, options) ?? randomWeightMap(module.weightShapes(parsed), options);
    },
  };
}
