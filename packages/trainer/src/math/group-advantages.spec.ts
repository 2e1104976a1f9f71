import { groupRelativeAdvantages, leaveOneOutAdvantages, rewardsToGo } from './group-advantages';

describe('group advantages', () => {
  // Two groups: rewards [1, 3] (mean 2, std 1) and [0, 0, 6] (mean 2, std √8).
  const rewards = [1, 3, 0, 0, 6];
  const groups = [0, 0, 1, 1, 1];

  it('GRPO: reward minus the group mean, over the group std (or not, as Dr. GRPO)', () => {
    const scaled = groupRelativeAdvantages(rewards, groups, 'group', 0);
    expect(scaled.map((a) => Number(a.toFixed(10)))).toEqual([-1, 1, Number((-2 / Math.sqrt(8)).toFixed(10)), Number((-2 / Math.sqrt(8)).toFixed(10)), Number((4 / Math.sqrt(8)).toFixed(10))]);
    expect(groupRelativeAdvantages(rewards, groups, 'none')).toEqual([-1, 1, -2, -2, 4]);
    // Batch std of [1, 3, 0, 0, 6]: mean 2, variance (1 + 1 + 4 + 4 + 16)/5 = 5.2.
    groupRelativeAdvantages(rewards, groups, 'batch', 0).forEach((a, i) => expect(a).toBeCloseTo([-1, 1, -2, -2, 4][i] / Math.sqrt(5.2), 12));
    // A group whose rewards are equal gives 0, not 0/0.
    expect(groupRelativeAdvantages([2, 2], [0, 0], 'group')).toEqual([0, 0]);
  });

  it('RLOO: reward minus the mean of the other samples of the group', () => {
    // Group 0: 1 − 3, 3 − 1; group 1: 0 − 3, 0 − 3, 6 − 0.
    expect(leaveOneOutAdvantages(rewards, groups)).toEqual([-2, 2, -3, -3, 6]);
    expect(leaveOneOutAdvantages([5], [0])).toEqual([5]);
  });

  it('rewards-to-go, discounted, over the valid tokens', () => {
    expect(rewardsToGo([1, 0, 2, 9], 3, 0.5)).toEqual([1.5, 1, 2, 0]);
    expect(rewardsToGo([-0.1, -0.2, 1], 3, 1).map((x) => Number(x.toFixed(10)))).toEqual([0.7, 0.8, 1]);
  });
});
