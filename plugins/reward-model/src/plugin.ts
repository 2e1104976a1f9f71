import { definePlugin } from '@rlgf/core';
import { rewardModelMetricFactory, rewardModelRewardFactory } from './reward/reward-model-components';
import { tldrRewardTrainerFactory } from './training/tldr-trainer';

export const plugin = definePlugin({
  id: '@rlgf/reward-model',
  version: '0.1.0',
  kind: 'bundle',
  description: 'learned reward models: the reward-model reward and metric (local or over HTTP) and the TL;DR Bradley-Terry trainer',
  factories: [rewardModelRewardFactory, rewardModelMetricFactory, tldrRewardTrainerFactory],
});
