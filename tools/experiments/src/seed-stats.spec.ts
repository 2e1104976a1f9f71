import { formatQuartiles } from './seed-stats';

describe('formatQuartiles', () => {
  it('gives the median and the quartiles, which one long pause does not move', () => {
    // Eight iterations near 20 s and one that waited 25 minutes (a paused job).
    const seconds = [19, 20, 20, 21, 21, 22, 22, 23, 1520];
    expect(formatQuartiles(seconds)).toBe('21.0 (20.0-22.0)');
    expect(formatQuartiles(seconds.slice(0, 8), 0)).toBe('21 (20-22)');
  });
});
