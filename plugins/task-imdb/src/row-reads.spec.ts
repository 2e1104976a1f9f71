import { planRowReads } from './row-reads';

describe('planRowReads', () => {
  it('reads each run of consecutive rows once, in row order', () => {
    expect(planRowReads([7, 3, 4, 5, 20])).toEqual([
      { start: 3, end: 6 },
      { start: 7, end: 8 },
      { start: 20, end: 21 },
    ]);
  });

  it('spans all rows with one read when there are more runs than reads allowed', () => {
    expect(planRowReads([100, 2, 50, 75, 9000], 4)).toEqual([{ start: 2, end: 9001 }]);
    expect(planRowReads([1, 3], 1)).toEqual([{ start: 1, end: 4 }]);
  });

  it('ignores duplicates and plans nothing for no rows', () => {
    expect(planRowReads([5, 5, 6])).toEqual([{ start: 5, end: 7 }]);
    expect(planRowReads([])).toEqual([]);
  });
});
