import { z } from 'zod';
import { batchNormalisedEstimator } from '../advantages/group-estimators';
import { defineAlgorithm } from './algorithm';
import type { IterationPlan } from './iteration-plan';
import { groupDividesBatch, numGenerations } from './settings';

/**
 * REINFORCE++ (Hu 2025, as OpenRLHF runs it): per-token rewards-to-go with the KL penalty in the
 * reward, normalised over the batch; `baseline: group` is OpenRLHF's REINFORCE++-baseline, which
 * first subtracts the group's mean reward. The clipped ratio; no critic.
 */
export const reinforcePlusPlus = defineAlgorithm({
  name: 'reinforce++',
  description: 'REINFORCE++: batch-normalised rewards-to-go with the KL in the reward (or a group baseline first), no critic',
  settings: z.strictObject({
    numGenerations: numGenerations(1),
    baseline: z
      .enum(['none', 'group'])
      .default('none')
      .describe("`group`: subtract the mean reward of the prompt's samples before normalising (OpenRLHF's `reinforce_baseline`; needs numGenerations ≥ 2)."),
  }),
  check: (settings, recipe) => [
    ...groupDividesBatch(settings.numGenerations, recipe),
    ...(settings.baseline === 'group' && settings.numGenerations < 2
      ? [{ path: 'algorithm.numGenerations', message: 'a group baseline needs at least 2 samples per prompt: set numGenerations ≥ 2, or baseline: none' }]
      : []),
  ],
  schedule: (settings) => {
    const plan: IterationPlan = {
      phase: 'reinforce++',
      rollIn: 'none',
      rollOut: 'policy',
      switchProbability: 0,
      switchPer: 'group',
      trainPolicy: true,
      advantage: batchNormalisedEstimator(settings.baseline),
      kl: 'reward',
      lossAggregation: 'token',
    };
    return { name: 'reinforce++', critics: [], usesGuide: false, groupSize: settings.numGenerations, planFor: () => plan };
  },
});
