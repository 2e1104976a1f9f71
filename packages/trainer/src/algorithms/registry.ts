import { UnknownComponentError } from '@rlgf/contracts';
import { aggrevated } from './aggrevated';
import type { AlgorithmModule, AlgorithmSchedule, AlgorithmSettings } from './algorithm';
import { d2lols } from './d2lols';
import { lols } from './lols';
import { ppo } from './ppo';
import { ppoPlusPlus } from './ppo-plus-plus';

/** The RL algorithms by recipe name; SFT is a separate trainer. */
export const rlAlgorithms: Readonly<Record<string, AlgorithmModule>> = {
  ppo,
  'ppo++': ppoPlusPlus,
  aggrevated,
  lols,
  d2lols,
};

export function algorithmSchedule(settings: AlgorithmSettings, seed: number): AlgorithmSchedule {
  const module = rlAlgorithms[settings.name];
  if (!module) throw new UnknownComponentError({ kind: 'RL algorithm', id: settings.name, known: Object.keys(rlAlgorithms) });
  return module(settings, seed);
}
