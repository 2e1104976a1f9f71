import type { RlgfPluginV1 } from '@rlgf/contracts';
import { plugin as chatEndpointGuide } from '@rlgf/guide-chat-endpoint';
import { plugin as hfEndpointGuide } from '@rlgf/guide-hf-endpoint';
import { plugin as localGuide } from '@rlgf/guide-local';
import { plugin as cocoCaptionMetrics } from '@rlgf/metric-coco-caption';
import { plugin as commongenCoverageMetric } from '@rlgf/metric-commongen-coverage';
import { plugin as gemDiversityMetrics } from '@rlgf/metric-gem-diversity';
import { plugin as nltkMeteorMetric } from '@rlgf/metric-nltk-meteor';
import { plugin as perplexityMetrics } from '@rlgf/metric-perplexity';
import { plugin as rougeScoreMetric } from '@rlgf/metric-rouge-score';
import { plugin as sacrebleuMetric } from '@rlgf/metric-sacrebleu';
import { plugin as functionReward } from '@rlgf/reward-function';
import { plugin as metricReward } from '@rlgf/reward-metrics';
import { plugin as rewardModels } from '@rlgf/reward-model';
import { plugin as sentimentReward } from '@rlgf/reward-sentiment';
import { plugin as commongenTask } from '@rlgf/task-commongen';
import { plugin as filesTask } from '@rlgf/task-files';
import { plugin as imdbTask } from '@rlgf/task-imdb';
import { plugin as syntheticTask } from '@rlgf/task-synthetic';
import { plugin as tldrTask } from '@rlgf/task-tldr';
import { plugin as tensorboardTracker } from '@rlgf/tracker-tensorboard';

/**
 * The first-party plugins every run can use without naming them. This list is the composition
 * root's only knowledge of concrete plugins; a recipe adds others through its `plugins` field.
 */
export const builtinPlugins: readonly RlgfPluginV1[] = [
  syntheticTask,
  filesTask,
  imdbTask,
  commongenTask,
  sentimentReward,
  tldrTask,
  rewardModels,
  metricReward,
  functionReward,
  localGuide,
  hfEndpointGuide,
  chatEndpointGuide,
  sacrebleuMetric,
  cocoCaptionMetrics,
  rougeScoreMetric,
  nltkMeteorMetric,
  gemDiversityMetrics,
  commongenCoverageMetric,
  perplexityMetrics,
  tensorboardTracker,
];
