import { deriveSeed } from '@rlgf/core';
import { allLinear, LoraBase, type LoraSettings, type TrainableLanguageModel } from '@rlgf/models';
import type { Recipe } from '@rlgf/recipe';

/** Checkpoint folders of a LoRA run's adapters (PEFT layout): the base weights are never in a checkpoint. */
export const policyAdapterDir = 'policy-adapter';
export const criticAdapterDir = (role: string) => `critic-${role}-adapter`;

/** The frozen bases of a LoRA run and the names their adapters record (`base_model_name_or_path`). */
export interface LearnerBases {
  readonly policy?: { readonly base: LoraBase; readonly name: string };
  readonly critic?: { readonly base: LoraBase; readonly name: string; readonly settings: LoraSettings };
}

type RecipeLora = NonNullable<Recipe['policy']['lora']>;

/** The recipe's `lora` block as adapter settings. */
export function loraSettings(lora: RecipeLora): LoraSettings {
  return { r: lora.r, alpha: lora.alpha, dropout: lora.dropout, targetModules: lora.targetModules ?? allLinear, rslora: lora.rslora };
}

/** A fresh adapter on `base` seeded from the run seed and its role, as a model view. */
export function freshAdapterView(base: LoraBase, settings: LoraSettings, seed: number, role: string): TrainableLanguageModel {
  return base.view(base.createAdapter(settings, { seed: deriveSeed(seed, 'lora', role) }));
}
