import { splitRows, type SplitPlanSettings } from './split-plan';

const imdbRows = { train: 25_000, test: 25_000 };
const settings: SplitPlanSettings = { datasetRows: imdbRows, splitSeed: 0, caps: {} };

describe('splitRows', () => {
  it('cuts the shuffled train split 80/20 into disjoint train and validation rows; test is all of test', () => {
    const train = splitRows('train', settings);
    const validation = splitRows('validation', settings);
    const test = splitRows('test', settings);
    expect([train.rows.length, validation.rows.length, test.rows.length]).toEqual([20_000, 5_000, 25_000]);
    expect([train.source, validation.source, test.source]).toEqual(['train', 'train', 'test']);
    expect(new Set([...train.rows, ...validation.rows]).size).toBe(25_000);
    expect(new Set(test.rows).size).toBe(25_000);
  });

  it('shuffles: the rows are not in dataset order (which is sorted by label)', () => {
    const rows = splitRows('validation', settings).rows;
    expect(rows.slice(0, 5)).not.toEqual([...rows.slice(0, 5)].sort((a, b) => a - b));
    // Each half of the sorted dataset (one label each) lands in the first 1000 rows of validation.
    const firstThousand = rows.slice(0, 1000);
    const negatives = firstThousand.filter((row) => row < 12_500).length;
    expect(negatives).toBeGreaterThan(400);
    expect(negatives).toBeLessThan(600);
  });

  it('is a pure function of the seed; another seed gives another order', () => {
    expect(splitRows('train', settings)).toEqual(splitRows('train', { ...settings }));
    expect(splitRows('train', { ...settings, splitSeed: 1 }).rows.slice(0, 10)).not.toEqual(splitRows('train', settings).rows.slice(0, 10));
  });

  it('caps keep the first rows of the same order, whatever the cap', () => {
    const full = splitRows('test', settings).rows;
    const capped = splitRows('test', { ...settings, caps: { test: 20 } }).rows;
    expect(capped).toEqual(full.slice(0, 20));
    expect(splitRows('validation', { ...settings, caps: { validation: 10_000 } }).rows).toHaveLength(5_000);
  });
});
