import { cleanContinuation } from './clean-continuation';

const text = 'I watched this film last night and the acting was';

describe('cleanContinuation: what a chat reply adds to the text', () => {
  it.each<[string, string, string]>([
    ['a plain continuation, with the space a completions model would write', 'superb from start to end.', ' superb from start to end.'],
    ['a restatement of the whole text', `${text} superb from start to end.`, ' superb from start to end.'],
    ['a restatement of its end only', 'last night and the acting was superb.', ' superb.'],
    ['a restatement with other whitespace', 'last night and  the\nacting was superb.', ' superb.'],
    ['an opening line of boilerplate', 'Sure! Here is the continuation:\n\nsuperb, really.', ' superb, really.'],
    ['an opener on the same line', 'Sure! Here is the continuation: superb, really.', ' superb, really.'],
    ['an opener, then the restated text in quotes', `Certainly! Here's how it continues:\n"${text} superb."`, ' superb.'],
    ['a lone interjection line', 'Certainly.\nsuperb, really.', ' superb, really.'],
    ['quotes around the whole reply', '"superb, really."', ' superb, really.'],
    ['a code fence around the whole reply', '```\nsuperb, really.\n```', ' superb, really.'],
    ['a closing courtesy', 'superb, really.\n\nI hope this helps! Let me know if you want more.', ' superb, really.'],
    ['punctuation that continues the word', ', to be honest, superb.', ', to be honest, superb.'],
    ['nothing at all', '', ''],
    ['boilerplate only', 'Sure! Here is the continuation:', ''],
    ['the text restated and nothing more', text, ''],
  ])('keeps the continuation of %s', (_name, reply, expected) => {
    expect(cleanContinuation(text, reply)).toBe(expected);
  });

  it('adds no space after text ending in whitespace, or when there is no text', () => {
    expect(cleanContinuation('The film was ', 'superb.')).toBe('superb.');
    expect(cleanContinuation('', 'A story.')).toBe('A story.');
    expect(cleanContinuation('The film was', '\n\nsuperb.')).toBe(' superb.');
  });

  it('does not cut a reply that merely starts with a short word the text ends with', () => {
    expect(cleanContinuation('He said that it was', 'was it really? Yes.')).toBe(' was it really? Yes.');
  });

  it('keeps words like "continue" when they are the story, not an opener', () => {
    expect(cleanContinuation('The rain', 'continued to fall on the city.')).toBe(' continued to fall on the city.');
  });
});

describe('cleanContinuation: lines that look like openers but are the story', () => {
  it.each(['great fun.', 'Sure enough, the storm came.', 'Okay, so the plot was thin.', 'Here the story turns dark.'])('keeps "%s"', (reply) => {
    expect(cleanContinuation('The film was', reply)).toBe(` ${reply}`);
  });
});
