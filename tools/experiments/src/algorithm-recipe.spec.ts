import { algorithmRecipe } from './algorithm-recipe';

describe('algorithmRecipe', () => {
  it("keeps only the settings of the named algorithm", () => {
    const settings = { d2lolsSwitchIteration: 10, lolsMixing: 0.5, numGenerations: 4, ppoPlusPlusBeta: 0.8 };
    expect(algorithmRecipe('ppo', settings)).toEqual({ name: 'ppo' });
    expect(algorithmRecipe('d2lols', settings)).toEqual({ name: 'd2lols', d2lolsSwitchIteration: 10, ppoPlusPlusBeta: 0.8 });
    expect(algorithmRecipe('grpo++', settings)).toEqual({ name: 'grpo++', numGenerations: 4, ppoPlusPlusBeta: 0.8 });
    expect(() => algorithmRecipe('nope', settings)).toThrow('unknown algorithm nope');
  });
});
