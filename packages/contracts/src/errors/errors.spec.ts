import { InvalidArgumentError, NumericalError, RecipeError, RlgfError, UnknownComponentError } from '../index';

describe('error classes', () => {
  it('say what was wrong and list the known names', () => {
    const error = new UnknownComponentError({ kind: 'task', id: 'imbd', known: ['tldr', 'imdb'] });
    expect(error.message).toBe('unknown task "imbd"; known tasks: imdb, tldr');
    expect(error.hint).toMatch(/plugins/);
  });

  it('are recognised across copies by name and marker, not by prototype', () => {
    const error = new InvalidArgumentError({ argument: '--limit', value: -1, expected: 'a positive integer' });
    expect(error.message).toBe('--limit: got -1, expected a positive integer');
    expect(RlgfError.isInstance(error)).toBe(true);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(RecipeError.isInstance(error)).toBe(false);
    const foreign = Object.assign(new Error('x'), { name: InvalidArgumentError.errorName, [Symbol.for('rlgf:error')]: true });
    expect(InvalidArgumentError.isInstance(foreign)).toBe(true);
    expect(RlgfError.isInstance(new Error('plain'))).toBe(false);
    expect(RlgfError.isInstance(null)).toBe(false);
  });

  it('name the iteration and quantity of a numerical failure', () => {
    const error = new NumericalError({ iteration: 7, quantity: 'advantage', value: Number.NaN });
    expect(error.message).toBe('non-finite advantage (NaN) at iteration 7; the update was not applied');
    expect(error.iteration).toBe(7);
  });

  it('join recipe issues with their paths', () => {
    const error = new RecipeError({
      source: 'r.yaml',
      issues: [
        { path: 'rollout.batchSize', message: 'expected a positive integer, got -3' },
        { path: '', message: 'unknown key "foo"' },
      ],
    });
    expect(error.message).toBe('invalid recipe r.yaml: rollout.batchSize: expected a positive integer, got -3; (root): unknown key "foo"');
  });
});
