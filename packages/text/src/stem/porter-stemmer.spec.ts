import { porterStem } from './porter-stemmer';

describe('porterStem (NLTK PorterStemmer, NLTK_EXTENSIONS)', () => {
  // Outputs of nltk.stem.PorterStemmer().stem in NLTK 3.8.
  it.each([
    ['caresses', 'caress'], ['ponies', 'poni'], ['ties', 'tie'], ['cats', 'cat'], ['feed', 'feed'], ['agreed', 'agre'],
    ['plastered', 'plaster'], ['motoring', 'motor'], ['sing', 'sing'], ['conflated', 'conflat'], ['hopping', 'hop'],
    ['falling', 'fall'], ['happy', 'happi'], ['sky', 'sky'], ['skies', 'sky'], ['dying', 'die'], ['relational', 'relat'],
    ['generously', 'gener'], ['running', 'run'], ['children', 'children'], ['is', 'is'], ['Running', 'run'],
  ])('%s -> %s', (word, stem) => {
    expect(porterStem(word)).toBe(stem);
  });
});
