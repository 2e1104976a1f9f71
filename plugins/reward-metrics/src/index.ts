export { createMetricReward, metricRewardFactory, type WeightedMetric } from './metric-reward';
export { defaultMetricTerms, metricRewardOptionHelp, parseMetricTerms, type MetricTerm } from './reward-options';
export { plugin } from './plugin';
