import { fnv1a32, hashedNgrams } from './feature-hashing';
import { reviewWords } from './review-words';

describe('reviewWords', () => {
  it('lower-cases, drops <br /> tags and punctuation except ! and ?, keeps inner apostrophes', () => {
    expect(reviewWords("Don't miss it!<br /><br />Best film of 2006, isn't it?")).toEqual(["don't", 'miss', 'it', '!', 'best', 'film', 'of', '2006', "isn't", 'it', '?']);
    expect(reviewWords('Café—Crème... "Amélie"')).toEqual(['café', 'crème', 'amélie']);
    expect(reviewWords('   ')).toEqual([]);
  });
});

describe('fnv1a32', () => {
  it('matches the published FNV-1a test vectors', () => {
    // http://www.isthe.com/chongo/src/fnv/test_fnv.c (FNV1A_32): "", "a", "foobar".
    expect(fnv1a32('')).toBe(0x811c9dc5);
    expect(fnv1a32('a')).toBe(0xe40c292c);
    expect(fnv1a32('foobar')).toBe(0xbf9cf968);
  });
});

describe('hashedNgrams', () => {
  it('hashes every unigram and bigram once, sorted', () => {
    const buckets = 1 << 20;
    const expected = [...new Set(['good', 'movie', 'good movie', 'movie good'].map((gram) => fnv1a32(gram) % buckets))].sort((a, b) => a - b);
    expect([...hashedNgrams(['good', 'movie', 'good', 'movie'], 2, buckets)]).toEqual(expected);
  });

  it('folds colliding n-grams into one bucket and stops at maxN', () => {
    expect([...hashedNgrams(['a', 'b', 'c'], 1, 1)]).toEqual([0]);
    expect(hashedNgrams(['a', 'b', 'c'], 3, 1 << 20)).toHaveLength(6);
    expect(hashedNgrams([], 2, 16)).toHaveLength(0);
  });
});
