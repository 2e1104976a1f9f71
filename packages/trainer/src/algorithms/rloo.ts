import { z } from 'zod';
import { leaveOneOutEstimator } from '../advantages/group-estimators';
import { defineAlgorithm } from './algorithm';
import type { IterationPlan } from './iteration-plan';
import { groupDividesBatch, numGenerations } from './settings';

/**
 * RLOO (Ahmadian et al. 2024): G samples per prompt, each sample's reward (the KL penalty
 * included, per token) minus the mean of the other G − 1; the clipped ratio; no critic.
 */
export const rloo = defineAlgorithm({
  name: 'rloo',
  description: 'RLOO: G samples per prompt, leave-one-out baseline, KL in the reward, no critic',
  settings: z.strictObject({ numGenerations: numGenerations(4) }),
  check: (settings, recipe) => [
    ...groupDividesBatch(settings.numGenerations, recipe),
    ...(settings.numGenerations < 2 ? [{ path: 'algorithm.numGenerations', message: 'RLOO needs at least 2 samples per prompt: the baseline is the mean of the others' }] : []),
  ],
  schedule: (settings) => {
    const plan: IterationPlan = {
      phase: 'rloo',
      rollIn: 'none',
      rollOut: 'policy',
      switchProbability: 0,
      switchPer: 'group',
      trainPolicy: true,
      advantage: leaveOneOutEstimator,
      kl: 'reward',
      lossAggregation: 'token',
    };
    return { name: 'rloo', critics: [], usesGuide: false, groupSize: settings.numGenerations, planFor: () => plan };
  },
});
