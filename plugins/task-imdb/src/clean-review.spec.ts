import { cleanReview } from './clean-review';

describe('cleanReview', () => {
  it('turns <br /> tags into line breaks, keeping paragraphs apart by one empty line', () => {
    expect(cleanReview('Great film.<br /><br />The plot is thin.')).toBe('Great film.\n\nThe plot is thin.');
    expect(cleanReview('one<br />two<BR>three<br/>four')).toBe('one\ntwo\nthree\nfour');
    expect(cleanReview('a<br /><br /><br /><br />b')).toBe('a\n\nb');
  });

  it('normalises whitespace: single spaces, trimmed lines, no leading or trailing blanks', () => {
    expect(cleanReview('  Too   long,\tbut  fun. <br /><br />  Watch it!  ')).toBe('Too long, but fun.\n\nWatch it!');
    expect(cleanReview('<br /><br />Starts with a break.<br />')).toBe('Starts with a break.');
  });

  it('puts everything on one line in space mode', () => {
    expect(cleanReview('Great film.<br /><br />The plot  is thin.', 'space')).toBe('Great film. The plot is thin.');
  });

  it('leaves a review without tags or extra whitespace unchanged', () => {
    const review = "I loved it. Wouldn't change a thing!";
    expect(cleanReview(review)).toBe(review);
  });
});
