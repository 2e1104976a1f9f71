import { definePlugin } from '@rlgf/core';
import { metricRewardFactory } from './metric-reward';

export const plugin = definePlugin({
  id: '@rlgf/reward-metrics',
  version: '0.1.0',
  kind: 'reward',
  description: 'rewards from metrics: a weighted sum of per-sample metric scores (CommonGen: CIDEr-D + SPICE)',
  factories: [metricRewardFactory],
});
