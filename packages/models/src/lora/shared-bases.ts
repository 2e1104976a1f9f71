import { injectionToken } from '@rlgf/contracts';
import { loadModelReference, type LoadModelReferenceOptions } from '../model/load-model-reference';
import type { ModelReference } from '../model/resolve-model-reference';
import type { TrainableLanguageModel } from '../model/trainable-language-model';
import { isPeftAdapterDir, peftBaseModel } from './adapter-folder';
import type { LoraBase } from './lora-model';
import { loadPeftAdapter } from './peft-files';

/**
 * The frozen LoRA bases a run holds, by the model they were loaded from (an absolute folder or a
 * Hub id, with its revision), so that a component naming the same model (a local guide) shares
 * the weights instead of loading a second copy.
 */
export class SharedBases {
  private readonly bases = new Map<string, LoraBase>();

  add(reference: ModelReference, base: LoraBase): void {
    this.bases.set(key(reference), base);
  }

  get(reference: ModelReference): LoraBase | undefined {
    return this.bases.get(key(reference));
  }
}

// No revision means the Hub's default, `main` (as recipes fill it in): the two name the same model.
const key = (reference: ModelReference) => `${reference.source}@${reference.revision ?? 'main'}`;

/** A run's {@link SharedBases}, registered by the trainer when the policy trains a LoRA adapter. */
export const SHARED_BASES = injectionToken<SharedBases>('shared-lora-bases');

/**
 * The frozen model `reference` names (local folders given absolute): a view of a base in `shared`
 * when the sources match, with the folder's adapter when `reference` is an adapter folder on that
 * base; else loaded on its own. `shared` in the result says which.
 */
export async function loadFrozenModel(
  reference: ModelReference,
  options: LoadModelReferenceOptions & { readonly shared?: SharedBases },
): Promise<{ readonly model: TrainableLanguageModel; readonly shared: boolean }> {
  const adapterDir = isPeftAdapterDir(reference.source) ? reference.source : undefined;
  const base = options.shared?.get(adapterDir === undefined ? reference : { source: await peftBaseModel(adapterDir) });
  if (base === undefined) return { model: await loadModelReference(reference, { ...options, trainable: false }), shared: false };
  const adapter = adapterDir === undefined ? undefined : await loadPeftAdapter(base, adapterDir, { seed: options.seed, trainable: false });
  return { model: base.view(adapter), shared: true };
}
