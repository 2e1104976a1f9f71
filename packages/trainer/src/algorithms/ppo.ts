import type { AlgorithmModule } from './algorithm';
import { ppoPlan } from './iteration-plan';

/** PPO: the policy writes everything; all tokens train the policy and its critic. */
export const ppo: AlgorithmModule = () => ({ name: 'ppo', critics: ['policy'], usesGuide: false, planFor: () => ppoPlan });
