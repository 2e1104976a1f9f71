import type { Recipe } from '@rlgf/recipe';
import type { z } from 'zod';
import type { CriticRole, IterationPlan } from './iteration-plan';

/**
 * An RL algorithm as a schedule of iteration plans. `planFor` is a pure function of the run seed
 * and the iteration (random choices come from streams seeded by both), so a resumed run makes the
 * same choices as an uninterrupted one. Both methods take the 0-based index of the iteration (the
 * one seeds derive from); what users read counts iterations from 1.
 */
export interface AlgorithmSchedule {
  readonly name: string;
  /** The critics this algorithm trains at some point; none for critic-free methods (no critic is loaded). */
  readonly critics: readonly CriticRole[];
  /** Whether any iteration rolls in or out with the guide (PPO never does: its guide is not loaded). */
  readonly usesGuide: boolean;
  /** Samples per prompt in an iteration (G of GRPO and RLOO; 1 for PPO and its guided variants). */
  readonly groupSize: number;
  planFor(iteration: number): IterationPlan;
  /**
   * What happens to the learner as iteration `iteration` begins, if anything: D2LOLS starts its
   * policy critic from the guide critic after τ iterations. The trainer carries it out and logs the message.
   */
  transitionAt?(iteration: number): PhaseTransition | undefined;
}

export interface PhaseTransition {
  /** One line for the log. */
  readonly message: string;
  /** Replace the `to` critic by a copy of the `from` critic (weights; its optimizer starts fresh). */
  readonly copyCritic?: { readonly from: CriticRole; readonly to: CriticRole };
}

/** A problem with a recipe's algorithm settings, as `{ path, message }` relative to the recipe. */
export interface SettingsIssue {
  readonly path: string;
  readonly message: string;
}

/**
 * An RL algorithm module: its name, its own settings (the recipe's `algorithm` fields beside
 * `name`, validated with its schema), cross-field checks against the rest of the recipe, and the
 * schedule of plans it runs. A new algorithm is a new module passed to the registry; the trainer
 * and the recipe name none.
 */
export interface AlgorithmModule<Settings = unknown> {
  readonly name: string;
  /** One line for `rlgf plugins` and the docs. */
  readonly description: string;
  /** Its settings without `name`, every field documented and defaulted (a zod object). */
  readonly settings: z.ZodType<Settings>;
  /** Checks against the rest of the recipe (e.g. a group size that must divide the batch). */
  check?(settings: Settings, recipe: Recipe): readonly SettingsIssue[];
  schedule(settings: Settings, context: { readonly seed: number }): AlgorithmSchedule;
}

/** Defines a module with its settings type inferred from its schema. */
export function defineAlgorithm<Schema extends z.ZodType>(module: AlgorithmModule<z.output<Schema>> & { readonly settings: Schema }): AlgorithmModule {
  return module as unknown as AlgorithmModule;
}
