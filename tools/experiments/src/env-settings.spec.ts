import { wholeNumberEnv } from './env-settings';

describe('wholeNumberEnv', () => {
  it('reads a whole number, or the fallback when unset', () => {
    expect(wholeNumberEnv('IMDB_EPOCHS', 5, { IMDB_EPOCHS: '2' })).toBe(2);
    expect(wholeNumberEnv('IMDB_EPOCHS', 5, {})).toBe(5);
    expect(wholeNumberEnv('IMDB_EPOCHS', 5, { IMDB_EPOCHS: '' })).toBe(5);
  });

  it('names the variable when its value is not a whole number ≥ 1', () => {
    for (const bad of ['two', '2.5', '0', '-3']) {
      expect(() => wholeNumberEnv('IMDB_EPOCHS', 5, { IMDB_EPOCHS: bad })).toThrow(`IMDB_EPOCHS must be a whole number ≥ 1, got "${bad}"`);
    }
  });
});
