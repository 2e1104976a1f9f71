export { createMetricReward, metricRewardFactory, type WeightedMetric } from './metric-reward';
export { defaultMetricTerms, metricRewardOptions, type MetricRewardOptions, type MetricTerm } from './reward-options';
export { plugin } from './plugin';
