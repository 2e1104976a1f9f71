import { toPlainValue } from './row-values';

describe('toPlainValue', () => {
  it('turns safe bigints into numbers, deep inside lists and structs', () => {
    expect(toPlainValue({ label: 1n, scores: [2n, -3n], meta: { id: 9007199254740991n } })).toEqual({ label: 1, scores: [2, -3], meta: { id: 9007199254740991 } });
  });

  it('keeps bigints that a number cannot hold exactly', () => {
    expect(toPlainValue(9007199254740992n)).toBe(9007199254740992n);
    expect(toPlainValue(-9007199254740992n)).toBe(-9007199254740992n);
  });

  it('leaves other values alone', () => {
    const bytes = new Uint8Array([1, 2]);
    const date = new Date(0);
    expect(toPlainValue(bytes)).toBe(bytes);
    expect(toPlainValue(date)).toBe(date);
    expect([toPlainValue('text'), toPlainValue(null), toPlainValue(1.5), toPlainValue(undefined)]).toEqual(['text', null, 1.5, undefined]);
  });
});
