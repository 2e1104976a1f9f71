import type { AlgorithmModule } from './algorithm';
import { aggrevatedPlan } from './iteration-plan';

/**
 * AggreVaTeD: the policy rolls in, the guide rolls out; a guide critic learns V^{πg} on the
 * guide's tokens and the policy's prefix is trained on advantages of the guide's cost-to-go.
 */
export const aggrevated: AlgorithmModule = (settings) => {
  const plan = aggrevatedPlan(settings.aggrevatedBeta, settings.aggrevatedAdvantage);
  return { name: 'aggrevated', critics: ['guide'], usesGuide: true, planFor: () => plan };
};
