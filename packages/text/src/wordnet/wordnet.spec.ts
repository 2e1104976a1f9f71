import { defaultWordNet } from './wordnet';

describe('WordNet 3.0 (as NLTK reads it)', () => {
  const wordnet = defaultWordNet();

  it('finds base forms through the exception lists and the detachment rules', () => {
    expect(wordnet.morphy('ran', 'v')).toEqual(['run']);
    expect(wordnet.morphy('geese', 'n')).toEqual(['goose']);
    expect(wordnet.morphy('dogs', 'n')).toEqual(['dog']);
    expect(wordnet.morphy('better', 'a')).toEqual(['better', 'good', 'well']);
    expect(wordnet.morphy('xyzzyq', 'n')).toEqual([]);
  });

  it('collects lemma names of every synset like wordnet.synsets(word)', () => {
    const synonyms = wordnet.synonyms('car');
    expect(synonyms.has('automobile')).toBe(true);
    expect(synonyms.has('railcar')).toBe(true);
    expect(synonyms.has('motor_vehicle')).toBe(false);
    expect(wordnet.synonyms('Cars')).toBe(wordnet.synonyms('cars'));
  });
});
