import { DatasetError } from '@rlgf/contracts';
import { parseSplitSpec, resolveSplitRanges, roundHalfToEven } from './split-spec';

const imdb = { train: 25_000, test: 25_000 };
const rangesOf = (spec: string, rows: Record<string, number> = imdb) => resolveSplitRanges(spec, parseSplitSpec(spec), rows);
const range = (spec: string, rows?: Record<string, number>) => {
  const [only] = rangesOf(spec, rows);
  return [only.start, only.end];
};

describe('parseSplitSpec', () => {
  it('reads the forms of the datasets library', () => {
    expect(parseSplitSpec('train')).toEqual([{ split: 'train', from: undefined, to: undefined, unit: 'abs', rounding: undefined }]);
    expect(parseSplitSpec('train[:80%]')).toEqual([{ split: 'train', from: undefined, to: 80, unit: '%', rounding: undefined }]);
    expect(parseSplitSpec('test[-100:]')).toEqual([{ split: 'test', from: -100, to: undefined, unit: 'abs', rounding: undefined }]);
    expect(parseSplitSpec('train[:1_000]')[0].to).toBe(1000);
    expect(parseSplitSpec('train[-0:]')[0].from).toBe(0);
    expect(parseSplitSpec('train.clean[10%:20%](pct1_dropremainder)')).toEqual([
      { split: 'train.clean', from: 10, to: 20, unit: '%', rounding: 'pct1_dropremainder' },
    ]);
    expect(parseSplitSpec(' train[:10] + test[:10] ').map((term) => term.split)).toEqual(['train', 'test']);
  });

  it.each([
    ['', 'it is empty'],
    ['train+', 'it has an empty term around "+"'],
    ['train[5]', 'cannot read "train[5]"'],
    ['train[:80%', 'cannot read "train[:80%"'],
    ['train[ :10]', 'cannot read "train[ :10]"'],
    ['train[1.5:]', 'cannot read "train[1.5:]"'],
    ['train-x', 'cannot read "train-x"'],
    ['train[10:50%]', '"train[10:50%]" mixes a percentage and a row index; give both bounds in % or both in rows'],
    ['train[:150%]', 'percent bound 150% in "train[:150%]" is outside -100%..100%'],
    ['train[:10](closest)', 'rounding is only allowed with percent bounds, in "train[:10](closest)"'],
    ['train[:5%](floor)', 'unknown rounding "floor" in "train[:5%](floor)" (known: closest, pct1_dropremainder)'],
  ])('refuses %j, saying why', (spec, problem) => {
    let error: unknown;
    try {
      parseSplitSpec(spec);
    } catch (caught) {
      error = caught;
    }
    expect(DatasetError.isInstance(error)).toBe(true);
    expect((error as DatasetError).message).toBe(`split spec "${spec}": ${problem}`);
    expect((error as DatasetError).hint).toMatch(/train\[:80%\]/);
  });
});

describe('roundHalfToEven', () => {
  it('rounds like Python round()', () => {
    expect([0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 2.4999, 2.5001, 7].map(roundHalfToEven)).toEqual([0, 2, 2, 4, 0, -2, -2, 2, 3, 7]);
  });
});

describe('resolveSplitRanges', () => {
  it('gives the IMDB boundaries of the task splits', () => {
    expect(range('train[:80%]')).toEqual([0, 20_000]);
    expect(range('train[80%:]')).toEqual([20_000, 25_000]);
    expect(range('test[:500]')).toEqual([0, 500]);
    expect(range('test[10:20]')).toEqual([10, 20]);
    expect(range('test')).toEqual([0, 25_000]);
  });

  it('counts negative bounds from the end and clamps to the split', () => {
    expect(range('test[-100:]')).toEqual([24_900, 25_000]);
    expect(range('test[:-100]')).toEqual([0, 24_900]);
    expect(range('test[-30000:10]')).toEqual([0, 10]);
    expect(range('test[30000:]')).toEqual([25_000, 25_000]);
    expect(range('test[20:10]')).toEqual([20, 20]);
    expect(range('test[-10%:]')).toEqual([22_500, 25_000]);
  });

  it('rounds percent bounds to the closest row, ties to even (datasets default)', () => {
    // 50% of 5 = 2.5 -> 2; of 7 = 3.5 -> 4; of 3 = 1.5 -> 2; of 1 = 0.5 -> 0.
    expect([5, 7, 3, 1].map((n) => range('s[:50%]', { s: n })[1])).toEqual([2, 4, 2, 0]);
    // Of 10 rows: 33% = 3.3 -> 3; 35% = 3.5 -> 4; 25% = 2.5 -> 2; 15% = 1.5 -> 2.
    expect([33, 35, 25, 15].map((pct) => range(`s[:${pct}%]`, { s: 10 })[1])).toEqual([3, 4, 2, 2]);
    // -25% of 10 = -2.5 -> -2, so the slice starts at row 8.
    expect(range('s[-25%:]', { s: 10 })).toEqual([8, 10]);
    // 4018 CommonGen validation rows: 10% = 401.8 -> 402.
    expect(range('validation[:10%]', { validation: 4018 })).toEqual([0, 402]);
  });

  it('uses whole percents of the split with pct1_dropremainder', () => {
    // 250 rows: 1% is 2 rows, so 50% is 100 (closest would give 125).
    expect(range('s[:50%](pct1_dropremainder)', { s: 250 })).toEqual([0, 100]);
    expect(range('s[:50%]', { s: 250 })).toEqual([0, 125]);
    expect(() => range('s[:50%](pct1_dropremainder)', { s: 99 })).toThrow(/fewer than 100 rows \(99\)/);
  });

  it('keeps the terms of a concatenation in order', () => {
    expect(rangesOf('train[:10]+test[:10]')).toEqual([
      { split: 'train', start: 0, end: 10 },
      { split: 'test', start: 0, end: 10 },
    ]);
  });

  it('names the unknown split and the available ones', () => {
    expect(() => rangesOf('validation[:10]')).toThrow('split spec "validation[:10]": unknown split "validation"; available splits: train, test');
    expect(() => rangesOf('toString')).toThrow(/unknown split "toString"/);
  });
});
