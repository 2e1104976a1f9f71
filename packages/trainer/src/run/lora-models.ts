import type { Recipe } from '@rlgf/recipe';
import { deriveSeed, registerValue } from '@rlgf/core';
import { LoraBase, loraParts, peftBaseModel, SHARED_BASES, SharedBases, type TrainableLanguageModel } from '@rlgf/models';
import { freshAdapterView, loraSettings, type LearnerBases } from '../learner/lora-learner';
import { loadRecipeModel, recipeModelSource } from './run-components';
import type { RunEnvironment } from './run-environment';

/** The models a run starts from: the policy, its reference and the critics' trunk, and the frozen bases they share. */
export interface StartModels {
  readonly policy: TrainableLanguageModel;
  readonly reference: TrainableLanguageModel;
  /** What a separate critic trunk starts from (the policy itself when nothing else is asked for). */
  readonly criticTrunk: TrainableLanguageModel;
  readonly bases: LearnerBases;
}

/**
 * Loads the start models. With `policy.lora` the policy model is loaded once, frozen: the policy
 * is it plus a fresh adapter, the reference is it with no adapter, and a LoRA critic (its own
 * `critic.lora`, or the policy's when the critic names no other model) is it plus another adapter.
 * Without `lora` every role has its own weights, as before.
 */
export async function loadStartModels(recipe: Recipe, env: RunEnvironment, options: { readonly needsCritic: boolean; readonly resuming: boolean }): Promise<StartModels> {
  const { seed } = recipe;
  const policyLora = recipe.policy.lora && loraSettings(recipe.policy.lora);
  const start = await loadRecipeModel(recipe.policy.model, env, seed, policyLora === undefined);
  const policyBase = policyLora && LoraBase.of(start);
  // policy.model is an adapter folder (e.g. an SFT stage's LoRA output): the policy goes on training
  // that adapter (its own r, alpha and targets) and the reference is base + adapter, the start model.
  const startAdapter = policyBase && loraParts(start)?.adapter;
  if (startAdapter) env.logger.info(`policy.model is a LoRA adapter: the policy trains it further (r ${startAdapter.settings.r}, alpha ${startAdapter.settings.alpha} from its adapter_config.json; policy.lora's are not used)`);
  const policy = !policyBase ? start : startAdapter ? policyBase.view(startAdapter.clone({ trainable: true, seed: deriveSeed(seed, 'lora', 'policy') })) : freshAdapterView(policyBase, policyLora, seed, 'policy');
  if (startAdapter && recipe.reference.model) start.dispose();
  const reference = recipe.reference.model
    ? await loadRecipeModel(recipe.reference.model, env, seed, false)
    : startAdapter
      ? start
      : policyBase
        ? policyBase.view()
        : policy.frozenCopy();
  const policySource = recipeModelSource(recipe.policy.model, env);
  const policyBaseName = startAdapter ? await peftBaseModel(policySource) : recipe.policy.model.source;
  const bases: { -readonly [K in keyof LearnerBases]: LearnerBases[K] } = policyBase ? { policy: { base: policyBase, name: policyBaseName } } : {};
  if (policyBase) {
    // A local guide naming the same model (or an adapter folder on it) then shares these weights.
    const shared = new SharedBases();
    shared.add(startAdapter ? { source: policyBaseName } : { source: policySource, revision: recipe.policy.model.revision }, policyBase);
    registerValue(env.container, SHARED_BASES, shared);
  }

  const criticRecipeLora = recipe.critic.lora ?? (recipe.critic.model ? undefined : recipe.policy.lora);
  if (!options.needsCritic || recipe.critic.sharedTrunk || criticRecipeLora === undefined) {
    // A critic-free algorithm (GRPO, RLOO, REINFORCE++) loads no critic model; a resumed run reads the critic's trunk from its checkpoint.
    const criticTrunk = recipe.critic.model && options.needsCritic && !options.resuming ? await loadRecipeModel(recipe.critic.model, env, seed) : policy;
    return { policy, reference, criticTrunk, bases };
  }
  const settings = loraSettings(criticRecipeLora);
  const criticModel = recipe.critic.model ?? recipe.policy.model;
  const criticBase = recipe.critic.model === undefined && policyBase ? policyBase : LoraBase.of(await loadRecipeModel(criticModel, env, seed, false));
  bases.critic = { base: criticBase, name: criticModel.source, settings };
  return { policy, reference, criticTrunk: freshAdapterView(criticBase, settings, seed, 'critic'), bases };
}
