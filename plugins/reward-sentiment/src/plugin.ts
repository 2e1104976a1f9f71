import { definePlugin } from '@rlgf/core';
import { sentimentMetricFactory } from './reward/sentiment-metric';
import { sentimentRewardFactory } from './reward/sentiment-reward';
import { imdbSentimentTrainerFactory } from './trainer/imdb-sentiment-trainer';

export const plugin = definePlugin({
  id: '@rlgf/reward-sentiment',
  version: '0.1.0',
  kind: 'bundle',
  description: 'sentiment reward and metric (n-gram classifier trained here, or DistilBERT) and the IMDB classifier trainer',
  factories: [sentimentRewardFactory, sentimentMetricFactory, imdbSentimentTrainerFactory],
});
