import { ModelFormatError } from '@rlgf/contracts';
import type { ArchitectureRegistry } from '../architectures/registry';
import { openCheckpointSource } from '../checkpoint/checkpoint-source';
import { isPeftAdapterDir, mergeAndUnload, peftBaseModel, withPeftAdapter } from '../lora/adapter-folder';
import { createTokenizer } from '../tokenizers/hf-tokenizer';
import { loadTokenizerFiles, parseJsonFile } from '../tokenizers/load-tokenizer-files';
import { loadLanguageModel } from './load-language-model';
import type { ModelArchitecture } from './model-architecture';
import { createRandomLanguageModel } from './random-language-model';
import { resolveModelReference, type ModelReference, type ResolveModelOptions } from './resolve-model-reference';
import type { TrainableLanguageModel } from './trainable-language-model';

export interface LoadModelReferenceOptions extends ResolveModelOptions {
  /** Seed of fresh weights when the reference asks for `init: random`. */
  readonly seed: number;
  /** Default true. */
  readonly trainable?: boolean;
  /** The families to resolve `config.json` with (default the built-in ones; see `modelRegistryWith`). */
  readonly registry?: ArchitectureRegistry<ModelArchitecture>;
}

/**
 * Loads the model a recipe names: pretrained weights (Hugging Face or llama2.c, converted on
 * first use), a PEFT adapter folder (the base it names, frozen, with the adapter: a LoRA view),
 * or, with `init: random`, fresh seeded weights for the folder's `config.json` and tokenizer
 * (training from scratch).
 */
export async function loadModelReference(
  reference: ModelReference & { readonly init?: 'pretrained' | 'random' },
  options: LoadModelReferenceOptions,
): Promise<TrainableLanguageModel> {
  // A PEFT adapter folder (an SFT stage's LoRA output, or PEFT's save_pretrained) is its base + the
  // adapter: a frozen LoRA view (a LoRA run clones the adapter to train it), or, for a model that
  // trains all its weights, the two merged.
  if (isPeftAdapterDir(reference.source)) {
    const base = await loadModelReference({ source: await peftBaseModel(reference.source) }, { ...options, trainable: false });
    const view = await withPeftAdapter(base, reference.source, { seed: options.seed });
    return options.trainable === false ? view : mergeAndUnload(view, { registry: options.registry });
  }
  const source = await resolveModelReference(reference, options);
  if (reference.init !== 'random') {
    return loadLanguageModel(source, { hub: options.hub, revision: reference.revision, trainable: options.trainable, logger: options.logger, registry: options.registry });
  }
  const files = await openCheckpointSource(source, { hub: options.hub, revision: reference.revision });
  if (!files.has('config.json')) {
    throw new ModelFormatError({ file: files.label, message: 'has no config.json', hint: 'init: random needs a folder with config.json and the tokenizer files' });
  }
  const config = parseJsonFile(await files.readText('config.json'), `${files.label}/config.json`);
  const tokenizerFiles = await loadTokenizerFiles(files);
  const tokenizer = createTokenizer(tokenizerFiles, { modelConfig: config, source: files.label });
  options.logger?.info(`initialising ${files.label} with random weights (seed ${options.seed})`);
  return createRandomLanguageModel(config, tokenizer, { seed: options.seed, tokenizerFiles, registry: options.registry });
}
