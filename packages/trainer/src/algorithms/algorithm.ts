import type { Recipe } from '@rlgf/recipe';
import type { CriticRole, IterationPlan } from './iteration-plan';

export type AlgorithmSettings = Recipe['algorithm'];

/**
 * An RL algorithm as a schedule of iteration plans. `planFor` is a pure function of the run seed
 * and the iteration (random choices come from streams seeded by both), so a resumed run makes the
 * same choices as an uninterrupted one.
 */
export interface AlgorithmSchedule {
  readonly name: string;
  /** The critics this algorithm trains at some point. */
  readonly critics: readonly CriticRole[];
  /** Whether any iteration rolls in or out with the guide (PPO never does: its guide is not loaded). */
  readonly usesGuide: boolean;
  planFor(iteration: number): IterationPlan;
  /**
   * What happens to the learner as iteration `iteration` begins, if anything: D2LOLS starts its
   * policy critic from the guide critic at τ. The trainer carries it out and logs the message.
   */
  transitionAt?(iteration: number): PhaseTransition | undefined;
}

export interface PhaseTransition {
  /** One line for the log. */
  readonly message: string;
  /** Replace the `to` critic by a copy of the `from` critic (weights; its optimizer starts fresh). */
  readonly copyCritic?: { readonly from: CriticRole; readonly to: CriticRole };
}

export type AlgorithmModule = (settings: AlgorithmSettings, seed: number) => AlgorithmSchedule;
