import { definePlugin } from '@rlgf/core';
import { syntheticTaskFactory } from './synthetic-task';
import { targetShareMetric, targetShareReward } from './target-share';

export { createSyntheticTask, syntheticTaskFactory } from './synthetic-task';
export { syntheticTaskOptions, type SyntheticTaskOptions } from './synthetic-options';
export { targetShare, targetShareMetric, targetShareReward } from './target-share';

export const plugin = definePlugin({
  id: '@rlgf/task-synthetic',
  version: '0.1.0',
  kind: 'bundle',
  description: 'a synthetic task with its reward and metric, for testing algorithms in seconds',
  factories: [syntheticTaskFactory, targetShareReward, targetShareMetric],
});
