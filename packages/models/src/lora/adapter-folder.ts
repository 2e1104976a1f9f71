import { ModelFormatError } from '@rlgf/contracts';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArchitectureRegistry } from '../architectures/registry';
import { createLanguageModel } from '../model/create-language-model';
import type { ModelArchitecture } from '../model/model-architecture';
import type { TrainableLanguageModel } from '../model/trainable-language-model';
import { LoraBase } from './lora-model';
import { adapterConfigFile } from './peft-config';
import { loadPeftAdapter } from './peft-files';

/** Whether `dir` is a local PEFT adapter folder (`adapter_config.json` and no `config.json`) rather than a model. */
export function isPeftAdapterDir(dir: string): boolean {
  return existsSync(join(dir, adapterConfigFile)) && !existsSync(join(dir, 'config.json'));
}

/**
 * `model` with the PEFT adapter in `dir` (`generate | eval | serve --adapter`): a LoRA view that
 * owns `model`, so dispose the view only. When the adapter does not fit, `model` is disposed and the
 * loader's one-line error propagates.
 */
export async function withPeftAdapter(model: TrainableLanguageModel, dir: string, options: { readonly trainable?: boolean; readonly seed?: number } = {}): Promise<TrainableLanguageModel> {
  try {
    const base = LoraBase.of(model);
    return base.view(await loadPeftAdapter(base, dir, { seed: options.seed ?? 0, trainable: options.trainable ?? false }));
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/**
 * The model an adapter folder was trained on (`base_model_name_or_path`, a Hub id or a folder, as
 * PEFT records it), so that naming the folder alone loads base + adapter.
 */
export async function peftBaseModel(dir: string): Promise<string> {
  const file = join(dir, adapterConfigFile);
  const base = (JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>)['base_model_name_or_path'];
  if (typeof base !== 'string' || base === '') {
    throw new ModelFormatError({ file, message: 'names no base model (base_model_name_or_path)', hint: 'name the base as the model and the folder as its adapter (--model <base> --adapter <folder>)' });
  }
  return base;
}

/**
 * A model with its own trainable weights W + scale·B·A from a LoRA view (PEFT's
 * `merge_and_unload`), for a recipe that trains all the weights of a model given as an adapter
 * folder; `view` is disposed.
 */
export async function mergeAndUnload(view: TrainableLanguageModel, options: { readonly registry?: ArchitectureRegistry<ModelArchitecture> } = {}): Promise<TrainableLanguageModel> {
  try {
    return createLanguageModel(view.configJson, await view.getWeights(), view.tokenizer, { trainable: true, registry: options.registry, tokenizerFiles: view.tokenizerFiles });
  } finally {
    view.dispose();
  }
}
