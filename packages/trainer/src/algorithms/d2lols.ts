import type { AlgorithmModule } from './algorithm';
import { aggrevatedPlan, criticWarmupPlan, ppoPlusPlusPlan } from './iteration-plan';

/**
 * D2LOLS: AggreVaTeD before iteration τ, then PPO++. Unlike the authors' code, the policy critic
 * is not left untrained at the switch: it starts from the guide critic (or fresh) and gets
 * `d2lolsCriticWarmupIterations` value-only PPO++ iterations before the policy trains on it.
 */
export const d2lols: AlgorithmModule = (settings) => {
  const tau = settings.d2lolsSwitchIteration;
  const warmupEnd = tau + settings.d2lolsCriticWarmupIterations;
  const aggrevated = aggrevatedPlan(settings.aggrevatedBeta, settings.aggrevatedAdvantage);
  const warmup = criticWarmupPlan(settings.ppoPlusPlusBeta);
  const ppoPlusPlus = ppoPlusPlusPlan(settings.ppoPlusPlusBeta);
  return {
    name: 'd2lols',
    critics: ['policy', 'guide'],
    usesGuide: true,
    planFor: (iteration) => (iteration < tau ? aggrevated : iteration < warmupEnd ? warmup : ppoPlusPlus),
    transitionAt: (iteration) =>
      iteration === tau
        ? {
            message: `D2LOLS switches to PPO++ at iteration ${tau}: policy critic initialised from ${
              settings.d2lolsCriticInit === 'guide-critic' ? 'the trained guide critic' : 'the initial critic'
            }, ${settings.d2lolsCriticWarmupIterations} value-only warm-up iteration(s) before policy updates`,
            copyCritic: settings.d2lolsCriticInit === 'guide-critic' ? { from: 'guide', to: 'policy' } : undefined,
          }
        : undefined,
  };
};
