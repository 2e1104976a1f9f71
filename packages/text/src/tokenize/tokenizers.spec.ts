import { cocoPtbTokenize, ptbTokenize } from './ptb-tokenizer';
import { punktSentences } from './punkt-sentences';
import { tokenize13a } from './tokenize-13a';
import { wordTokenize } from './word-tokenize';

describe('tokenize13a (sacreBLEU 13a)', () => {
  it('splits punctuation but keeps numbers with separators together', () => {
    expect(tokenize13a("It wasn't surprising, was it? 1,000.5 -3")).toEqual(['It', "wasn't", 'surprising', ',', 'was', 'it', '?', '1,000.5', '-3']);
    expect(tokenize13a('a&amp;b&quot;c 2-3')).toEqual(['a', '&', 'b', '"', 'c', '2', '-', '3']);
  });
});

describe('wordTokenize (NLTK word_tokenize)', () => {
  it('reproduces the NLTKWordTokenizer docstring example, with Punkt splitting the sentences', () => {
    const text = 'Good muffins cost $3.88\nin New York.  Please buy me\ntwo of them.\nThanks.';
    expect(wordTokenize(text)).toEqual(['Good', 'muffins', 'cost', '$', '3.88', 'in', 'New', 'York', '.', 'Please', 'buy', 'me', 'two', 'of', 'them', '.', 'Thanks', '.']);
  });

  it('splits contractions and quotes the Treebank way', () => {
    expect(wordTokenize(`"I can't," she said; they're gonna.`)).toEqual(['``', 'I', 'ca', "n't", ',', "''", 'she', 'said', ';', 'they', "'re", 'gon', 'na', '.']);
  });
});

describe('punktSentences', () => {
  it('does not break after known abbreviations or initials, and keeps closing quotes with their sentence', () => {
    expect(punktSentences('Mr. Smith met J. Doe. "They talked." Then they left.')).toEqual(['Mr. Smith met J. Doe.', '"They talked."', 'Then they left.']);
  });
});

describe('ptbTokenize (Stanford PTBTokenizer 3.4.1 rules)', () => {
  it('splits contractions as the Penn Treebank does', () => {
    expect(ptbTokenize("I don't think we can't or won't; she's here, aren't they?")).toEqual(
      ['I', 'do', "n't", 'think', 'we', 'ca', "n't", 'or', 'wo', "n't", ';', 'she', "'s", 'here', ',', 'are', "n't", 'they', '?'],
    );
    expect(ptbTokenize('You cannot go')).toEqual(['You', 'can', 'not', 'go']);
  });

  it('keeps numbers, hyphenated words, abbreviations and acronyms whole', () => {
    expect(ptbTokenize('Mr. Smith paid $1,000.50 for a well-known U.S. flag at 5 p.m.')).toEqual(
      ['Mr.', 'Smith', 'paid', '$', '1,000.50', 'for', 'a', 'well-known', 'U.S.', 'flag', 'at', '5', 'p.m.'],
    );
  });

  it('separates a sentence-final period and rewrites brackets, quotes, dashes and slashes', () => {
    expect(ptbTokenize('"Hi" (said he) -- and/or 1/2 ... the end.')).toEqual(
      ['``', 'Hi', "''", '-LRB-', 'said', 'he', '-RRB-', '--', 'and\\/or', '1\\/2', '...', 'the', 'end', '.'],
    );
  });

  it('as pycocoevalcap uses it: lower-cased, punctuation list removed, brackets left as -lrb-', () => {
    expect(cocoPtbTokenize('A Dog (brown) runs, jumps... and barks!\nThe END.')).toEqual(['a', 'dog', '-lrb-', 'brown', '-rrb-', 'runs', 'jumps', 'and', 'barks', 'the', 'end']);
  });
});
