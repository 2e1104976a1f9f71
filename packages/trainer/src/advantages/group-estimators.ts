import { groupRelativeAdvantages, leaveOneOutAdvantages, rewardsToGo } from '../math/group-advantages';
import { whiten } from '../math/whiten';
import { broadcast, sequenceRewards, zerosLike, type AdvantageEstimator, type AdvantageInput } from './advantage-estimator';

/** GRPO's group-relative advantage of each sample's reward, on all of its tokens. */
export function groupRelativeEstimator(scale: 'group' | 'batch' | 'none'): AdvantageEstimator {
  return {
    name: `group-relative (${scale === 'none' ? 'no std division' : `${scale} std`})`,
    needsCritic: false,
    estimate: (input) => ({
      advantages: broadcast(groupRelativeAdvantages(sequenceRewards(input), input.groups, scale), input),
      returns: zerosLike(input.tokenRewards),
    }),
  };
}

/** RLOO's leave-one-out advantage of each sample's reward (KL included when it is in the reward). */
export const leaveOneOutEstimator: AdvantageEstimator = {
  name: 'leave-one-out',
  needsCritic: false,
  estimate: (input) => ({ advantages: broadcast(leaveOneOutAdvantages(sequenceRewards(input), input.groups), input), returns: zerosLike(input.tokenRewards) }),
};

/**
 * REINFORCE++ (Hu 2025): per-token rewards-to-go (KL penalty in the reward), normalised over the
 * whole batch's policy tokens. With `baseline: 'group'` (OpenRLHF's reinforce_baseline) the
 * group's mean score is first subtracted from each sample's terminal reward.
 */
export function batchNormalisedEstimator(baseline: 'none' | 'group'): AdvantageEstimator {
  return {
    name: baseline === 'group' ? 'batch-normalised returns, group baseline' : 'batch-normalised returns',
    needsCritic: false,
    estimate: (input: AdvantageInput) => {
      const scores = sequenceRewards(input);
      const shifts = baseline === 'group' ? groupRelativeAdvantages(scores, input.groups, 'none').map((advantage, i) => advantage - scores[i]) : scores.map(() => 0);
      const returns = input.tokenRewards.map((row, i) => {
        const rewards = [...row];
        if (input.lengths[i] > 0) rewards[input.lengths[i] - 1] += shifts[i];
        return rewardsToGo(rewards, input.lengths[i], input.gamma);
      });
      return { advantages: whiten(returns, input.policyMask), returns: zerosLike(input.tokenRewards) };
    },
  };
}
