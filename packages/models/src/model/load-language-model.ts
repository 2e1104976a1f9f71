import { InvalidArgumentError } from '@rlgf/contracts';
import type { HubFilesV1, LoggerV1 } from '@rlgf/contracts';
import type { ArchitectureRegistry } from '../architectures/registry';
import { setBackend } from '../backend/set-backend';
import type { BackendName } from '../backend/backend-name';
import { readCheckpoint } from '../checkpoint/read-checkpoint';
import { writeCheckpoint } from '../checkpoint/write-checkpoint';
import { CausalLanguageModel } from './causal-language-model';
import type { ModelArchitecture } from './model-architecture';
import type { TrainableLanguageModel } from './trainable-language-model';
import { createLanguageModel } from './create-language-model';

export interface LoadLanguageModelOptions {
  /** Hub access, for `owner/name` sources. */
  readonly hub?: HubFilesV1;
  readonly revision?: string;
  /** Switch the TensorFlow.js backend first (default: keep the active one). */
  readonly backend?: BackendName;
  /** Whether the variables are trainable (default true). */
  readonly trainable?: boolean;
  /** The families to resolve `config.json` with (default the built-in ones; see `modelRegistryWith`). */
  readonly registry?: ArchitectureRegistry<ModelArchitecture>;
  /** Warnings about the checkpoint (tensors it lacks that start at a default), one line each. */
  readonly logger?: LoggerV1;
}

/**
 * Loads a Hub-format checkpoint (a directory or a Hub model id) and builds its model, of whatever
 * family its `config.json` names, through the architecture registry.
 */
export async function loadLanguageModel(source: string, options: LoadLanguageModelOptions = {}): Promise<TrainableLanguageModel> {
  if (options.backend !== undefined) await setBackend(options.backend);
  const checkpoint = await readCheckpoint(source, { hub: options.hub, revision: options.revision });
  const logger = options.logger;
  return createLanguageModel(checkpoint.config, checkpoint.weights, checkpoint.tokenizer, {
    trainable: options.trainable,
    registry: options.registry,
    tokenizerFiles: checkpoint.tokenizerFiles,
    warn: logger && ((message) => logger.warn(`${checkpoint.files.source}: ${message}`)),
  });
}

/** The decoder-only model of a checkpoint: for callers that drive its network directly. */
export async function loadCausalLanguageModel(source: string, options: LoadLanguageModelOptions = {}): Promise<CausalLanguageModel> {
  return asCausalLanguageModel(await loadLanguageModel(source, options));
}

/** `model` as a decoder-only model, or a clear error for another family. */
export function asCausalLanguageModel(model: TrainableLanguageModel): CausalLanguageModel {
  if (model instanceof CausalLanguageModel) return model;
  throw new InvalidArgumentError({
    argument: 'model',
    value: model.info.modelType,
    expected: 'a decoder-only model (Llama, GPT-2, Qwen, Mistral, Gemma 2, Phi-3, GPT-NeoX)',
    hint: 'this code drives a decoder-only network directly; use the TrainableLanguageModel surface for other families',
  });
}

/** Saves a model as a Hub-format checkpoint (`config.json`, `model.safetensors`, tokenizer files). */
export async function saveLanguageModel(model: TrainableLanguageModel, dir: string): Promise<void> {
  if (model.tokenizerFiles === undefined) {
    throw new InvalidArgumentError({
      argument: 'model',
      value: model.info.modelType,
      expected: 'a model loaded from a checkpoint (it carries the tokenizer files to save)',
      hint: 'create the model with loadLanguageModel, or pass tokenizerFiles to createLanguageModel',
    });
  }
  await writeCheckpoint(dir, { config: { ...model.configJson }, weights: await model.getWeights(), tokenizerFiles: model.tokenizerFiles });
}
