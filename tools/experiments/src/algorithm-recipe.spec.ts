import { algorithmRecipe, usesGuide } from './algorithm-recipe';

describe('algorithmRecipe', () => {
  it("keeps only the settings of the named algorithm", () => {
    const settings = { d2lolsSwitchIteration: 10, lolsMixing: 0.5, numGenerations: 4, ppoPlusPlusBeta: 0.8 };
    expect(algorithmRecipe('ppo', settings)).toEqual({ name: 'ppo' });
    expect(algorithmRecipe('d2lols', settings)).toEqual({ name: 'd2lols', d2lolsSwitchIteration: 10, ppoPlusPlusBeta: 0.8 });
    expect(algorithmRecipe('grpo++', settings)).toEqual({ name: 'grpo++', numGenerations: 4, ppoPlusPlusBeta: 0.8 });
    expect(() => algorithmRecipe('nope', settings)).toThrow('unknown algorithm nope');
  });
});

describe('usesGuide', () => {
  it('asks each algorithm its own schedule, so runs that never load a guide can be shared', () => {
    expect(['ppo', 'grpo', 'rloo', 'reinforce++'].map(usesGuide)).toEqual([false, false, false, false]);
    expect(['ppo++', 'aggrevated', 'lols', 'd2lols', 'grpo++', 'grpo-aggrevated'].map(usesGuide)).toEqual([true, true, true, true, true, true]);
    expect(() => usesGuide('nope')).toThrow('unknown algorithm nope');
  });
});
