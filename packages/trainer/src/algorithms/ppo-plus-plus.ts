import type { AlgorithmModule } from './algorithm';
import { ppoPlusPlusPlan } from './iteration-plan';

/** PPO++: the guide rolls in (a restart distribution), the policy rolls out and learns after k. */
export const ppoPlusPlus: AlgorithmModule = (settings) => {
  const plan = ppoPlusPlusPlan(settings.ppoPlusPlusBeta);
  return { name: 'ppo++', critics: ['policy'], usesGuide: true, planFor: () => plan };
};
