import { definePlugin } from '@rlgf/core';
import { functionMetricFactory } from './function-metric';
import { functionRewardFactory } from './function-reward';

export { createFunctionMetric, functionMetricFactory, functionMetricOptions, metricName, type FunctionMetricOptions } from './function-metric';
export { createFunctionReward, functionOptions, functionRewardFactory, type BatchedScore, type FunctionOptions, type SampleScore } from './function-reward';

export const plugin = definePlugin({
  id: '@rlgf/reward-function',
  version: '0.1.0',
  kind: 'bundle',
  description: 'a reward and a metric from a function in your own .ts/.js file',
  factories: [functionRewardFactory, functionMetricFactory],
});
