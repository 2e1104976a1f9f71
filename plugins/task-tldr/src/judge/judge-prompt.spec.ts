import { judgePrompt, parseJudgment } from './judge-prompt';

describe('judgePrompt', () => {
  it('writes the DPO paper\'s TL;DR prompt with the post and both summaries', () => {
    const prompt = judgePrompt('SUBREDDIT: r/a\nTITLE: t\nPOST: my post\n', ' first summary', 'second summary ');
    expect(prompt.startsWith('Which of the following summaries does a better job of summarizing the most important points in the given forum post')).toBe(true);
    expect(prompt).toContain('Post:\nSUBREDDIT: r/a\nTITLE: t\nPOST: my post\n\nSummary A:\nfirst summary\n\nSummary B:\nsecond summary\n\nFIRST provide');
    expect(prompt.endsWith('Comparison: <one-sentence comparison and explanation>\nPreferred: <"A" or "B">')).toBe(true);
  });
});

describe('parseJudgment', () => {
  it.each([
    ['Comparison: A is more precise.\nPreferred: A', 'A'],
    ['Comparison: B covers the key point.\nPreferred: B', 'B'],
    ['comparison: ...\npreferred: "b"', 'B'],
    ['Comparison: x\n**Preferred:** "A"', 'A'],
    ['Comparison: x\nPreferred: Summary B.', 'B'],
    ['Comparison: x\nPreferred - (A)', 'A'],
    ['Comparison: Summary B is better than Summary A.\n\nB', 'B'],
    ['Comparison: I first thought Preferred: A, but no.\nPreferred: B', 'B'],
    ['Comparison: x\nPreferred:\nA', 'A'],
  ])('reads %j as %s', (answer, expected) => {
    expect(parseJudgment(answer)).toBe(expected);
  });

  it.each([['Both summaries are equally good.'], ['Comparison: they tie.\nPreferred: neither'], [''], ['Comparison: A is shorter, B is longer.'], ['Preferred: Absolutely']])(
    'names neither summary for %j',
    (answer) => {
      expect(parseJudgment(answer)).toBeUndefined();
    },
  );
});
