import { z } from 'zod';
import { defineAlgorithm } from './algorithm';
import { aggrevatedPlan } from './iteration-plan';
import { aggrevatedAdvantage, aggrevatedBeta } from './settings';

/**
 * AggreVaTeD: the policy rolls in, the guide rolls out; a guide critic learns V^{πg} on the
 * guide's tokens and the policy's prefix is trained on advantages of the guide's cost-to-go.
 */
export const aggrevated = defineAlgorithm({
  name: 'aggrevated',
  description: "AggreVaTeD: the policy writes a prefix, the guide completes it, the prefix learns from the guide's cost-to-go",
  settings: z.strictObject({ aggrevatedBeta, aggrevatedAdvantage }),
  schedule: (settings) => {
    const plan = aggrevatedPlan(settings.aggrevatedBeta, settings.aggrevatedAdvantage);
    return { name: 'aggrevated', critics: ['guide'], usesGuide: true, groupSize: 1, planFor: () => plan };
  },
});
