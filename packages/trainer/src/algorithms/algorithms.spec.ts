import { recipeSchema } from '@rlgf/recipe';
import { aggrevatedPlan, criticWarmupPlan, lossMasks, ppoPlan, ppoPlusPlusPlan } from './iteration-plan';
import { algorithmSchedule } from './registry';

const settings = (algorithm: Record<string, unknown>) =>
  recipeSchema.parse({ task: 't', policy: { model: 'm' }, guide: 'local', algorithm, rollout: { iterations: 50 } }).algorithm;

describe('loss masks (k = switch step, 5 valid tokens of 6)', () => {
  it('PPO trains every valid token', () => {
    expect(lossMasks(ppoPlan, 0, 5, 6)).toEqual({ policy: [1, 1, 1, 1, 1, 0], value: [1, 1, 1, 1, 1, 0] });
  });

  it('PPO++ skips the guide roll-in t < k in both losses', () => {
    expect(lossMasks(ppoPlusPlusPlan(0.6), 2, 5, 6)).toEqual({ policy: [0, 0, 1, 1, 1, 0], value: [0, 0, 1, 1, 1, 0] });
    expect(lossMasks(ppoPlusPlusPlan(0.6), 0, 5, 6)).toEqual({ policy: [1, 1, 1, 1, 1, 0], value: [1, 1, 1, 1, 1, 0] });
  });

  it("AggreVaTeD trains the policy on the learner's prefix and the guide critic on the guide's tokens", () => {
    expect(lossMasks(aggrevatedPlan(0.8), 2, 5, 6)).toEqual({ policy: [1, 1, 0, 0, 0, 0], value: [0, 0, 1, 1, 1, 0] });
  });

  it('AggreVaTeD with k = 0 trains only the critic', () => {
    expect(lossMasks(aggrevatedPlan(0.8), 0, 5, 6)).toEqual({ policy: [0, 0, 0, 0, 0, 0], value: [1, 1, 1, 1, 1, 0] });
  });

  it('critic warm-up trains no policy token', () => {
    expect(lossMasks(criticWarmupPlan(0.6), 1, 3, 4)).toEqual({ policy: [0, 0, 0, 0], value: [0, 1, 1, 0] });
  });
});

describe('algorithm schedules', () => {
  it('use the authors\' β per phase and the right critic', () => {
    const ppoPlusPlus = algorithmSchedule(settings({ name: 'ppo++', ppoPlusPlusBeta: 0.6 }), 0).planFor(3);
    expect(ppoPlusPlus).toMatchObject({ rollIn: 'guide', rollOut: 'policy', switchProbability: 0.6, critic: 'policy' });
    const aggrevated = algorithmSchedule(settings({ name: 'aggrevated', aggrevatedBeta: 0.8 }), 0).planFor(3);
    expect(aggrevated).toMatchObject({ rollIn: 'policy', rollOut: 'guide', switchProbability: 0.8, critic: 'guide' });
    expect(algorithmSchedule(settings({ name: 'ppo' }), 0).critics).toEqual(['policy']);
  });

  it('D2LOLS runs AggreVaTeD before τ, warms the policy critic up, then PPO++', () => {
    const schedule = algorithmSchedule(settings({ name: 'd2lols', d2lolsSwitchIteration: 20, d2lolsCriticWarmupIterations: 2 }), 0);
    const phases = [0, 19, 20, 21, 22, 49].map((i) => schedule.planFor(i).phase);
    expect(phases).toEqual(['aggrevated', 'aggrevated', 'critic-warmup', 'critic-warmup', 'ppo++', 'ppo++']);
    expect(schedule.critics).toEqual(['policy', 'guide']);
    expect(schedule.transitionAt?.(20)?.message).toMatch(/initialised from the trained guide critic, 2 value-only warm-up/);
    expect(schedule.transitionAt?.(20)?.copyCritic).toEqual({ from: 'guide', to: 'policy' });
    expect(schedule.transitionAt?.(5)).toBeUndefined();
    const fresh = algorithmSchedule(settings({ name: 'd2lols', d2lolsSwitchIteration: 20, d2lolsCriticInit: 'fresh' }), 0);
    expect(fresh.transitionAt?.(20)?.copyCritic).toBeUndefined();
  });

  it("AggreVaTeD plans carry the recipe's advantage estimator (GAE by default, as TRIL)", () => {
    expect(algorithmSchedule(settings({ name: 'aggrevated' }), 0).planFor(0).advantage).toBe('gae');
    expect(algorithmSchedule(settings({ name: 'd2lols', aggrevatedAdvantage: 'guide-q' }), 0).planFor(0).advantage).toBe('guide-q');
    expect(algorithmSchedule(settings({ name: 'd2lols', aggrevatedAdvantage: 'guide-q' }), 0).planFor(30).advantage).toBe('gae');
  });

  it('LOLS picks PPO++ with probability τ per iteration, reproducibly from the seed', () => {
    const schedule = algorithmSchedule(settings({ name: 'lols', lolsMixing: 0.3 }), 42);
    const phases = Array.from({ length: 4000 }, (_, i) => schedule.planFor(i).phase);
    const share = phases.filter((p) => p === 'ppo++').length / phases.length;
    expect(share).toBeGreaterThan(0.27);
    expect(share).toBeLessThan(0.33);
    const again = algorithmSchedule(settings({ name: 'lols', lolsMixing: 0.3 }), 42);
    expect(Array.from({ length: 50 }, (_, i) => again.planFor(i).phase)).toEqual(phases.slice(0, 50));
    expect(again.planFor(17)).toEqual(schedule.planFor(17));
    const otherSeed = algorithmSchedule(settings({ name: 'lols', lolsMixing: 0.3 }), 43);
    expect(Array.from({ length: 50 }, (_, i) => otherSeed.planFor(i).phase)).not.toEqual(phases.slice(0, 50));
  });

  it('refuses sft as an RL algorithm, listing the known ones', () => {
    expect(() => algorithmSchedule(settings({ name: 'sft' }), 0)).toThrow('unknown RL algorithm "sft"; known RL algorithms: aggrevated, d2lols, lols, ppo, ppo++');
  });
});
