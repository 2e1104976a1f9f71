import { InvalidArgumentError } from '@rlgf/contracts';
import type { HubFilesV1 } from '@rlgf/contracts';
import type { ArchitectureRegistry } from '../architectures/registry';
import { setBackend } from '../backend/set-backend';
import type { BackendName } from '../backend/backend-name';
import { readCheckpoint } from '../checkpoint/read-checkpoint';
import { writeCheckpoint } from '../checkpoint/write-checkpoint';
import type { CausalLanguageModel } from './causal-language-model';
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
  readonly registry?: ArchitectureRegistry;
}

/**
 * Loads a Hub-format checkpoint (a directory or a Hub model id) and builds its model through the
 * architecture registry.
 */
export async function loadLanguageModel(source: string, options: LoadLanguageModelOptions = {}): Promise<CausalLanguageModel> {
  if (options.backend !== undefined) await setBackend(options.backend);
  const checkpoint = await readCheckpoint(source, { hub: options.hub, revision: options.revision });
  return createLanguageModel(checkpoint.config, checkpoint.weights, checkpoint.tokenizer, {
    trainable: options.trainable,
    registry: options.registry,
    tokenizerFiles: checkpoint.tokenizerFiles,
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
  await writeCheckpoint(dir, { config: { ...model.configJson }, weights: model.getWeights(), tokenizerFiles: model.tokenizerFiles });
}
