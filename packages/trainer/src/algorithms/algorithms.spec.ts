import { recipeSchema } from '@rlgf/recipe';
import { aggrevatedPlan, criticWarmupPlan, lossMasks, ppoPlan, ppoPlusPlusPlan } from './iteration-plan';
import { RecipeError } from '@rlgf/contracts';
import { algorithmSchedule, resolveAlgorithm } from './registry';

const settings = (algorithm: Record<string, unknown>, seed = 0) =>
  recipeSchema.parse({ task: 't', policy: { model: 'm' }, guide: 'local', algorithm, rollout: { iterations: 50 }, seed });

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
    const ppoPlusPlus = algorithmSchedule(settings({ name: 'ppo++', ppoPlusPlusBeta: 0.6 }, 0)).planFor(3);
    expect(ppoPlusPlus).toMatchObject({ rollIn: 'guide', rollOut: 'policy', switchProbability: 0.6, critic: 'policy' });
    const aggrevated = algorithmSchedule(settings({ name: 'aggrevated', aggrevatedBeta: 0.8 }, 0)).planFor(3);
    expect(aggrevated).toMatchObject({ rollIn: 'policy', rollOut: 'guide', switchProbability: 0.8, critic: 'guide' });
    expect(algorithmSchedule(settings({ name: 'ppo' }, 0)).critics).toEqual(['policy']);
  });

  it('D2LOLS runs AggreVaTeD before τ, warms the policy critic up, then PPO++', () => {
    const schedule = algorithmSchedule(settings({ name: 'd2lols', d2lolsSwitchIteration: 20, d2lolsCriticWarmupIterations: 2 }, 0));
    const phases = [0, 19, 20, 21, 22, 49].map((i) => schedule.planFor(i).phase);
    expect(phases).toEqual(['aggrevated', 'aggrevated', 'critic-warmup', 'critic-warmup', 'ppo++', 'ppo++']);
    expect(schedule.critics).toEqual(['policy', 'guide']);
    expect(schedule.transitionAt?.(20)?.message).toMatch(/initialised from the trained guide critic, 2 value-only warm-up/);
    expect(schedule.transitionAt?.(20)?.copyCritic).toEqual({ from: 'guide', to: 'policy' });
    expect(schedule.transitionAt?.(5)).toBeUndefined();
    const fresh = algorithmSchedule(settings({ name: 'd2lols', d2lolsSwitchIteration: 20, d2lolsCriticInit: 'fresh' }, 0));
    expect(fresh.transitionAt?.(20)?.copyCritic).toBeUndefined();
  });

  it("AggreVaTeD plans carry the recipe's advantage estimator (GAE by default, as TRIL)", () => {
    expect(algorithmSchedule(settings({ name: 'aggrevated' }, 0)).planFor(0).advantage.name).toBe('gae');
    expect(algorithmSchedule(settings({ name: 'd2lols', aggrevatedAdvantage: 'guide-q' }, 0)).planFor(0).advantage.name).toBe('guide-q');
    expect(algorithmSchedule(settings({ name: 'd2lols', aggrevatedAdvantage: 'guide-q' }, 0)).planFor(30).advantage.name).toBe('gae');
  });

  it('LOLS picks PPO++ with probability τ per iteration, reproducibly from the seed', () => {
    const schedule = algorithmSchedule(settings({ name: 'lols', lolsMixing: 0.3 }, 42));
    const phases = Array.from({ length: 4000 }, (_, i) => schedule.planFor(i).phase);
    const share = phases.filter((p) => p === 'ppo++').length / phases.length;
    expect(share).toBeGreaterThan(0.27);
    expect(share).toBeLessThan(0.33);
    const again = algorithmSchedule(settings({ name: 'lols', lolsMixing: 0.3 }, 42));
    expect(Array.from({ length: 50 }, (_, i) => again.planFor(i).phase)).toEqual(phases.slice(0, 50));
    expect(again.planFor(17)).toEqual(schedule.planFor(17));
    const otherSeed = algorithmSchedule(settings({ name: 'lols', lolsMixing: 0.3 }, 43));
    expect(Array.from({ length: 50 }, (_, i) => otherSeed.planFor(i).phase)).not.toEqual(phases.slice(0, 50));
  });

});

describe('resolving the recipe\'s algorithm', () => {
  const recipe = (fields: Record<string, unknown>) => recipeSchema.parse({ task: 't', policy: { model: 'm' }, rollout: { iterations: 50, samplesPerIteration: 112 }, optimization: { minibatchSize: 28 }, ...fields });
  const issues = (fields: Record<string, unknown>) => {
    try {
      resolveAlgorithm(recipe(fields), undefined, 'r.yaml');
    } catch (error) {
      if (RecipeError.isInstance(error)) return error.message;
      throw error;
    }
    return 'no error';
  };

  it('fills each module\'s defaults', () => {
    const resolved = resolveAlgorithm(recipe({ algorithm: { name: 'grpo' } }));
    expect(resolved.settings).toEqual({ numGenerations: 4, scaleRewards: 'group', lossType: 'grpo' });
    expect(resolved.schedule).toMatchObject({ critics: [], usesGuide: false, groupSize: 4 });
    expect(resolved.schedule.planFor(0)).toMatchObject({ kl: 'loss', lossAggregation: 'sequence', switchPer: 'group' });
    const rlooPlan = resolveAlgorithm(recipe({ algorithm: { name: 'rloo', numGenerations: 8 } })).schedule.planFor(0);
    expect(rlooPlan).toMatchObject({ kl: 'reward', advantage: { name: 'leave-one-out', needsCritic: false } });
    expect(rlooPlan.critic).toBeUndefined();
    expect(resolveAlgorithm(recipe({ algorithm: { name: 'reinforce++' } })).schedule.groupSize).toBe(1);
  });

  it('refuses an unknown algorithm, listing the known ones and the closest', () => {
    expect(issues({ algorithm: { name: 'gpro' } })).toBe(
      'invalid recipe r.yaml: algorithm.name: unknown RL algorithm "gpro" (did you mean grpo?); known: ppo, ppo++, aggrevated, lols, d2lols, grpo, grpo++, grpo-aggrevated, rloo, reinforce++',
    );
    expect(issues({ algorithm: { name: 'sft' } })).toContain('unknown RL algorithm "sft"');
  });

  it("refuses another algorithm's setting, naming its owner and the fix", () => {
    expect(issues({ algorithm: { name: 'grpo', d2lolsSwitchIteration: 3 } })).toBe(
      "invalid recipe r.yaml: algorithm.d2lolsSwitchIteration: not a setting of grpo (it is a setting of d2lols): remove it; grpo's settings are numGenerations, scaleRewards, lossType",
    );
    expect(issues({ algorithm: { name: 'grpo', numGeneration: 3 } })).toContain('algorithm.numGeneration: not a setting of grpo (did you mean numGenerations?)');
    expect(issues({ algorithm: { name: 'grpo', lossType: 'bnpo' } })).toBe('invalid recipe r.yaml: algorithm.lossType: got "bnpo", expected one of "grpo", "dapo", "dr_grpo"');
  });

  it('checks a group size against the batch, a guide for guided algorithms, and τ against the run', () => {
    expect(issues({ algorithm: { name: 'grpo', numGenerations: 5 } })).toBe(
      'invalid recipe r.yaml: algorithm.numGenerations: group size 5 does not divide rollout.samplesPerIteration 112: pick a divisor, or change the batch',
    );
    expect(issues({ algorithm: { name: 'grpo++' } })).toBe(
      'invalid recipe r.yaml: guide: algorithm grpo++ needs a guide: add e.g. "guide: { id: local, options: { model: <dir or hub id> } }"',
    );
    expect(issues({ algorithm: { name: 'd2lols', d2lolsSwitchIteration: 80 }, guide: 'local' })).toContain('switch iteration 80 is after the last iteration 50');
    expect(issues({ algorithm: { name: 'rloo', numGenerations: 1 } })).toContain('RLOO needs at least 2 samples per prompt');
    expect(issues({ algorithm: { name: 'grpo', numGenerations: 8 } })).toBe('no error');
  });
});
