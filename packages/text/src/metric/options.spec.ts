import { mean } from './options';

describe('metric helpers', () => {
  it('averages, 0 for an empty list', () => {
    expect(mean([1, 2, 3])).toBe(2);
    expect(mean([])).toBe(0);
  });
});
