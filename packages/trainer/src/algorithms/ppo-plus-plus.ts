import { z } from 'zod';
import { defineAlgorithm } from './algorithm';
import { ppoPlusPlusPlan } from './iteration-plan';
import { ppoPlusPlusBeta } from './settings';

/** PPO++: the guide rolls in (a restart distribution), the policy rolls out and learns after k. */
export const ppoPlusPlus = defineAlgorithm({
  name: 'ppo++',
  description: "PPO from the guide's roll-ins: the guide writes a prefix, the policy continues and learns after it",
  settings: z.strictObject({ ppoPlusPlusBeta }),
  schedule: (settings) => {
    const plan = ppoPlusPlusPlan(settings.ppoPlusPlusBeta);
    return { name: 'ppo++', critics: ['policy'], usesGuide: true, groupSize: 1, planFor: () => plan };
  },
});
