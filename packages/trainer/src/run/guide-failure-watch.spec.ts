import { createGuideFailureWatch } from './guide-failure-watch';

describe('guide failure watch', () => {
  it('fires after `iterations` consecutive iterations with more than `share` of the guide requests failed', () => {
    const watch = createGuideFailureWatch({ onPersistent: 'stop', share: 0.5, iterations: 3 });
    expect(watch.observe(0, 10, 6)).toBe(false);
    expect(watch.observe(1, 10, 10)).toBe(false);
    // Exactly half is not more than half: the streak breaks.
    expect(watch.observe(2, 10, 5)).toBe(false);
    expect(watch.observe(3, 8, 8)).toBe(false);
    // No guide request: neither breaks nor extends the streak.
    expect(watch.observe(4, 0, 0)).toBe(false);
    expect(watch.observe(5, 8, 7)).toBe(false);
    expect(watch.observe(6, 8, 5)).toBe(true);
    expect(watch.describeStreak()).toBe('3: 8/8, 5: 7/8, 6: 5/8');
  });
});
