import { z } from 'zod';
import { defineAlgorithm } from './algorithm';
import { ppoPlan } from './iteration-plan';

/** PPO: the policy writes everything; all tokens train the policy and its critic. */
export const ppo = defineAlgorithm({
  name: 'ppo',
  description: 'PPO with a critic (GAE) and the KL penalty in the reward',
  settings: z.strictObject({}),
  schedule: () => ({ name: 'ppo', critics: ['policy'], usesGuide: false, groupSize: 1, planFor: () => ppoPlan }),
});
