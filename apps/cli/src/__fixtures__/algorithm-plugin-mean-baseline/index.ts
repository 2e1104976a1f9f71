import type { RlgfPluginV1 } from '@rlgf/contracts';
import { defineAlgorithm, ppoPlan, RL_ALGORITHM, type AdvantageEstimator } from '@rlgf/trainer';
import { z } from 'zod';

// An RL algorithm that lives outside the repository's packages: REINFORCE with the batch's mean
// reward as its baseline, scaled by a setting of its own. It proves a new algorithm is a plugin a
// recipe names, with no edit to the trainer, the recipe schema or the CLI.
function meanBaseline(scale: number): AdvantageEstimator {
  return {
    name: 'batch mean baseline',
    needsCritic: false,
    estimate(input) {
      const totals = input.tokenRewards.map((row, i) => row.slice(0, input.lengths[i]).reduce((a, b) => a + b, 0));
      const mean = totals.reduce((a, b) => a + b, 0) / Math.max(1, totals.length);
      return {
        advantages: input.tokenRewards.map((row, i) => row.map((_, t) => (t < input.lengths[i] ? scale * (totals[i] - mean) : 0))),
        returns: input.tokenRewards.map((row) => row.map(() => 0)),
      };
    },
  };
}

const meanBaselineReinforce = defineAlgorithm({
  name: 'mean-baseline-reinforce',
  description: 'REINFORCE with the batch mean reward as baseline (test fixture)',
  settings: z.strictObject({ advantageScale: z.number().positive().default(1).describe('Multiplies every advantage.') }),
  schedule: (settings) => {
    const plan = { ...ppoPlan, phase: 'mean-baseline', critic: undefined, advantage: meanBaseline(settings.advantageScale) };
    return { name: 'mean-baseline-reinforce', critics: [], usesGuide: false, groupSize: 1, planFor: () => plan };
  },
});

export const plugin: RlgfPluginV1 = {
  specificationVersion: 'v1',
  id: 'rlgf-algorithm-mean-baseline-fixture',
  version: '1.0.0',
  kind: 'bundle',
  description: 'an RL algorithm plugin kept in a fixture folder',
  register(container) {
    container.register(RL_ALGORITHM, { useValue: meanBaselineReinforce });
  },
};
