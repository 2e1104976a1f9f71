import { InvalidArgumentError } from '@rlgf/contracts';
import { NetworkLanguageModel } from '../model/network-language-model';
import type { TrainableLanguageModel } from '../model/trainable-language-model';
import { adapterView, SharedBase, viewParts, type AdaptableNetwork } from './adapted-network';
import { LoraAdapter } from './lora-adapter';
import type { LoraSettings } from './lora-settings';
import type { LoraSite } from './lora-site';
import { selectSites } from './lora-targets';

type AnyNetworkModel = NetworkLanguageModel<AdaptableNetwork>;

/**
 * One frozen model shared by LoRA views: the policy (base + its adapter), the reference (the base
 * alone), a critic or a guide (base + their own adapters). The weights exist once; the model is
 * disposed with its last view.
 */
export class LoraBase {
  private constructor(
    private readonly template: AnyNetworkModel,
    private readonly shared: SharedBase<AdaptableNetwork>,
  ) {}

  /**
   * The base of `model`: its own when it is already a LoRA view, else `model` itself, which the
   * views then own (dispose the views, not `model`).
   */
  static of(model: TrainableLanguageModel): LoraBase {
    if (!(model instanceof NetworkLanguageModel)) {
      throw new InvalidArgumentError({ argument: 'model', value: model.info.modelType, expected: 'a model of this package (a LoRA adapter needs its layers)' });
    }
    const template = model as AnyNetworkModel;
    const parts = viewParts(template.network);
    if (parts !== undefined) return new LoraBase(template, parts.shared);
    return new LoraBase(template, new SharedBase(template.network, () => template.dispose()));
  }

  /** The linear modules an adapter may target. */
  get sites(): readonly LoraSite[] {
    return this.shared.net.loraSites?.() ?? [];
  }

  get modelType(): string {
    return this.shared.net.config.modelType;
  }

  /** A fresh adapter on the modules `settings.targetModules` selects (B = 0: the view starts as the base). */
  createAdapter(settings: LoraSettings, options: { readonly seed: number; readonly trainable?: boolean }): LoraAdapter {
    return LoraAdapter.create(selectSites(this.sites, settings.targetModules, this.modelType), settings, options);
  }

  /** The base with `adapter` (which the view then owns), or the base alone without one. */
  view(adapter?: LoraAdapter): TrainableLanguageModel {
    return this.template.withNetwork(adapterView(this.shared.net, this.shared, adapter));
  }
}

/** The base and adapter of a LoRA view (undefined for a model with its own full weights). */
export function loraParts(model: TrainableLanguageModel): { readonly base: LoraBase; readonly adapter?: LoraAdapter } | undefined {
  if (!(model instanceof NetworkLanguageModel)) return undefined;
  const parts = viewParts((model as AnyNetworkModel).network);
  return parts && { base: LoraBase.of(model), adapter: parts.adapter };
}
