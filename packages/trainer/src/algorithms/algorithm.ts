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
   * Called when iteration `iteration` begins with a different phase than the previous one; lets
   * D2LOLS say what it does with the policy critic.
   */
  describeTransition?(iteration: number): string | undefined;
}

export type AlgorithmModule = (settings: AlgorithmSettings, seed: number) => AlgorithmSchedule;
