import { adapterOf, LoraBase, loraParts, peftBaseModel, saveLanguageModel, savePeftAdapter, type TrainableLanguageModel } from '@rlgf/models';
import type { Recipe } from '@rlgf/recipe';
import type { Learner } from '../learner/learner';
import { freshAdapterView, loraSettings, type LearnerBases } from '../learner/lora-learner';
import { loadRecipeModel, recipeModelSource } from './run-components';
import type { RunEnvironment } from './run-environment';

/**
 * The model SFT trains: the policy model with all weights trainable, or with `sft.lora` the model
 * loaded once, frozen, plus a fresh adapter (its checkpoints then hold the adapter only).
 */
export async function loadSftModel(recipe: Recipe, env: RunEnvironment): Promise<{ readonly policy: TrainableLanguageModel; readonly bases: LearnerBases }> {
  const lora = recipe.sft.lora && loraSettings(recipe.sft.lora);
  const start = await loadRecipeModel(recipe.policy.model, env, recipe.seed, lora === undefined);
  if (lora === undefined) return { policy: start, bases: {} };
  const base = LoraBase.of(start);
  const source = recipeModelSource(recipe.policy.model, env);
  // A model given as an adapter folder: SFT goes on training that adapter (as the RL policy does).
  const given = loraParts(start)?.adapter;
  const policy = given ? base.view(given.clone({ trainable: true })) : freshAdapterView(base, lora, recipe.seed, 'sft');
  if (given) start.dispose();
  // The adapter records the base as loaded (an absolute folder, or the Hub id), so that naming the
  // adapter folder alone (`policy.model: stage:sft`) finds it again.
  return { policy, bases: { policy: { base, name: given ? await peftBaseModel(source) : source } } };
}

/** Writes what SFT produced: the model in Hub format, or with LoRA the adapter in PEFT's layout. */
export async function saveSftOutput(learner: Learner, dir: string, bases: LearnerBases): Promise<void> {
  if (bases.policy === undefined) return saveLanguageModel(learner.policy, dir);
  return savePeftAdapter(adapterOf(learner.policy), dir, { baseModel: bases.policy.name, encoderDecoder: learner.policy.info.isEncoderDecoder });
}
