import { InvalidArgumentError, RecipeError } from '@rlgf/contracts';
import { join } from 'node:path';
import { loadRecipe, parseRecipe, runDirectory } from './load-recipe';
import { applyOverrides, parseOverride } from './overrides';

const fixtures = join(__dirname, '__fixtures__');
const base = { task: 'imdb', policy: { model: 'karpathy/tinyllamas/stories260K' } };
const parse = (document: unknown, overrides: string[] = []) =>
  parseRecipe(document, { source: 'test.yaml', baseDir: '/tmp', overrides }).recipe;

function issuesOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (RecipeError.isInstance(error)) return error.message;
    throw error;
  }
  throw new Error('expected a RecipeError');
}

describe('recipes', () => {
  it('fill the authors\' IMDB settings as defaults', async () => {
    const { recipe, baseDir } = await loadRecipe(join(fixtures, 'minimal.yaml'));
    expect(baseDir).toBe(fixtures);
    expect(recipe.name).toBe('minimal');
    expect(recipe.task).toEqual({ id: 'imdb', options: {} });
    expect(recipe.policy.model).toEqual({ source: 'karpathy/tinyllamas/stories260K', revision: 'main', format: 'auto', init: 'pretrained' });
    expect(recipe.algorithm.name).toBe('ppo');
    expect(recipe.rollout).toMatchObject({ iterations: 50, samplesPerIteration: 112 });
    expect(recipe.optimization).toMatchObject({ minibatchSize: 28, epochs: 5, gamma: 0.99, lambda: 0.95, valueCoef: 0.5, learningRate: 1e-5, targetCoef: 0.1, clipRange: 0.2 });
    expect(recipe.kl).toMatchObject({ coef: 0.001, controller: 'fixed', inGuidedReward: true });
    expect(recipe.backend).toBe('wasm');
    expect(runDirectory(recipe, '/work')).toBe('/work/runs/minimal');
  });

  it('name the field, the bad value and what is expected', () => {
    expect(issuesOf(() => parse({ ...base, optimization: { minibatchSize: -3 } }))).toContain(
      'optimization.minibatchSize: got -3, expected > 0',
    );
    expect(issuesOf(() => parse({ ...base, backend: 'gpu' }))).toContain(
      'backend: got "gpu", expected one of "wasm", "cpu", "webgpu", "tensorflow", "tensorflow-gpu"',
    );
    expect(issuesOf(() => parse({ ...base, rollout: { itertions: 3 } }))).toContain('rollout.itertions: unknown field (did you mean "iterations"?)');
    expect(issuesOf(() => parse({ ...base, optimisation: { epochs: 2 } }))).toContain('optimisation: unknown field (did you mean "optimization"?)');
    expect(issuesOf(() => parse({ ...base, rollout: { decoding: { strategy: 'sample', topk: 5 } } }))).toContain(
      'rollout.decoding.topk: unknown field (did you mean "topK"?)',
    );
    expect(issuesOf(() => parse({ task: 'imdb' }))).toContain('policy: got nothing, expected object');
    expect(issuesOf(() => parse({ ...base, rollout: { decoding: { strategy: 'nucleus' } } }))).toContain(
      'rollout.decoding.strategy: got "nucleus", expected one of "greedy", "sample", "beam"',
    );
    expect(issuesOf(() => parse([1, 2]))).toContain('expected a mapping of fields');
  });

  it('check fields against each other and say how to fix it', () => {
    expect(issuesOf(() => parse({ ...base, rollout: { samplesPerIteration: 112 }, optimization: { minibatchSize: 48 } }))).toContain(
      'optimization.minibatchSize: minibatch size 48 does not divide rollout batch 112: pick a divisor',
    );
    // An algorithm's own settings and checks are its module's (packages/trainer/src/algorithms).
    expect(parse({ ...base, algorithm: { name: 'd2lols', d2lolsSwitchIteration: 80 } }).algorithm).toEqual({ name: 'd2lols', d2lolsSwitchIteration: 80 });
  });

  it('apply --set overrides as YAML values before validation', () => {
    const recipe = parse(base, ['rollout.iterations=10', 'seed=3', 'task.options.limit=5', 'guide={id: local}', 'algorithm.name=ppo++', 'name="run-7"']);
    expect(recipe.rollout.iterations).toBe(10);
    expect(recipe.seed).toBe(3);
    expect(recipe.task.options).toEqual({ limit: 5 });
    expect(recipe.guide).toEqual({ id: 'local', options: {} });
    expect(recipe.algorithm.name).toBe('ppo++');
    expect(recipe.name).toBe('run-7');
    expect(issuesOf(() => parse(base, ['rollout.iterations=-1']))).toContain('rollout.iterations: got -1, expected > 0');
  });

  it('reject malformed overrides with the expected form', () => {
    expect(() => parseOverride('rollout.iterations')).toThrow(InvalidArgumentError);
    expect(() => parseOverride('a..b=1')).toThrow('--set: got "a..b=1", expected key.path=value');
    expect(() => applyOverrides({ metrics: ['bleu'] }, [parseOverride('metrics.x=1')])).toThrow(/list index/);
    expect(applyOverrides({ metrics: ['bleu'] }, [parseOverride('metrics.0=rouge')])).toEqual({ metrics: ['rouge'] });
  });

  it('report YAML syntax errors with their position and missing files plainly', async () => {
    await expect(loadRecipe(join(fixtures, 'broken.yaml'))).rejects.toThrow(/not valid YAML at line \d+, column \d+/);
    await expect(loadRecipe('nope.yaml', { cwd: fixtures })).rejects.toThrow('invalid recipe nope.yaml: (root): file not found');
  });
});
