import { InvalidArgumentError } from '@rlgf/contracts';
import { booleanOption, choiceOption, mean, numberOption, unknownOptionWarnings } from './options';

describe('metric option helpers', () => {
  it('reads valid options and defaults', () => {
    expect(booleanOption({}, 'x', true)).toBe(true);
    expect(numberOption({ a: 0.5 }, 'a', 1, { min: 0, max: 1 })).toBe(0.5);
    expect(choiceOption({ t: 'none' }, 't', ['ptb', 'none'] as const, 'ptb')).toBe('none');
    expect(mean([1, 2, 3])).toBe(2);
  });

  it('names the bad option', () => {
    expect(() => booleanOption({ useStemmer: 'yes' }, 'useStemmer', true)).toThrow(/useStemmer: got "yes", expected true or false/);
    expect(() => numberOption({ alpha: 2 }, 'alpha', 0.9, { max: 1 })).toThrow(InvalidArgumentError);
    expect(unknownOptionWarnings({ foo: 1, a: 1 }, ['a'])).toEqual([expect.objectContaining({ type: 'unsupported-option', field: 'foo' })]);
  });
});
