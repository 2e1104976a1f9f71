import { lcsLength, lcsTable } from './lcs';
import { countNgrams, ngramKey, ngramOrder, ngramPrefix } from './ngrams';

describe('n-grams and LCS', () => {
  it('counts n-grams of every order within one token list', () => {
    const counts = countNgrams(['a', 'b', 'a', 'b'], 1, 2);
    expect(counts.get(ngramKey(['a']))).toBe(2);
    expect(counts.get(ngramKey(['a', 'b']))).toBe(2);
    expect(counts.get(ngramKey(['b', 'a']))).toBe(1);
    expect(ngramOrder(ngramKey(['x', 'y', 'z']))).toBe(3);
    expect(ngramPrefix(ngramKey(['x', 'y', 'z']))).toBe(ngramKey(['x', 'y']));
  });

  it('computes the longest common subsequence', () => {
    expect(lcsLength('a b c d'.split(' '), 'a c d e f'.split(' '))).toBe(3);
    expect(lcsLength([], ['a'])).toBe(0);
    expect(lcsTable(['a', 'b'], ['b'])[2][1]).toBe(1);
  });
});
