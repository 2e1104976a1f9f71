import { z } from 'zod';
import { defineAlgorithm } from './algorithm';
import { aggrevatedPlan, criticWarmupPlan, ppoPlusPlusPlan } from './iteration-plan';
import { aggrevatedAdvantage, aggrevatedBeta, ppoPlusPlusBeta } from './settings';

const nonNegativeInt = z.number().int().nonnegative();

/**
 * D2LOLS: AggreVaTeD for the first τ iterations, then PPO++. Unlike the authors' code, the policy critic
 * is not left untrained at the switch: it starts from the guide critic (or fresh) and gets
 * `d2lolsCriticWarmupIterations` value-only PPO++ iterations before the policy trains on it.
 */
export const d2lols = defineAlgorithm({
  name: 'd2lols',
  description: 'D2LOLS: AggreVaTeD for the first τ iterations, then PPO++ (policy critic warmed up from the guide critic)',
  settings: z.strictObject({
    ppoPlusPlusBeta,
    aggrevatedBeta,
    aggrevatedAdvantage,
    d2lolsSwitchIteration: nonNegativeInt.default(20).describe('τ of D2LOLS: iterations of AggreVaTeD before switching to PPO++.'),
    d2lolsCriticInit: z
      .enum(['guide-critic', 'fresh'])
      .default('guide-critic')
      .describe("D2LOLS: where the policy critic starts at the switch (the authors' code leaves it untrained): the trained guide critic, or the initial critic."),
    d2lolsCriticWarmupIterations: nonNegativeInt
      .default(1)
      .describe('D2LOLS: value-only PPO++ iterations at the switch, before the policy trains on the policy critic.'),
  }),
  check: (settings, recipe) =>
    settings.d2lolsSwitchIteration > recipe.rollout.iterations
      ? [
          {
            path: 'algorithm.d2lolsSwitchIteration',
            message: `switch iteration ${settings.d2lolsSwitchIteration} is after the last iteration ${recipe.rollout.iterations}: D2LOLS would never reach PPO++`,
          },
        ]
      : [],
  schedule: (settings) => {
    const tau = settings.d2lolsSwitchIteration;
    const warmupEnd = tau + settings.d2lolsCriticWarmupIterations;
    const aggrevated = aggrevatedPlan(settings.aggrevatedBeta, settings.aggrevatedAdvantage);
    const warmup = criticWarmupPlan(settings.ppoPlusPlusBeta);
    const ppoPlusPlus = ppoPlusPlusPlan(settings.ppoPlusPlusBeta);
    return {
      name: 'd2lols',
      critics: ['policy', 'guide'],
      usesGuide: true,
      groupSize: 1,
      planFor: (iteration) => (iteration < tau ? aggrevated : iteration < warmupEnd ? warmup : ppoPlusPlus),
      transitionAt: (iteration) =>
        iteration === tau
          ? {
              message: `D2LOLS switches to PPO++ after iteration ${tau}: policy critic initialised from ${
                settings.d2lolsCriticInit === 'guide-critic' ? 'the trained guide critic' : 'the initial critic'
              }, ${settings.d2lolsCriticWarmupIterations} value-only warm-up iteration(s) before policy updates`,
              copyCritic: settings.d2lolsCriticInit === 'guide-critic' ? { from: 'guide', to: 'policy' } : undefined,
            }
          : undefined,
    };
  },
});
