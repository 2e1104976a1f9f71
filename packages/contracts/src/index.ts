export type { CheckpointInfoV1, CheckpointStoreV1 } from './checkpoint/v1/checkpoint-store-v1';
export type {
  GuideGenerateOptionsV1,
  GuideGenerateResultV1,
  GuideInputV1,
  GuideOutputV1,
  GuideTokenizationV1,
  GuideUsageV1,
  GuideV1,
} from './guide/v1/guide-v1';
export type { HubFileRefV1, HubFilesV1 } from './hub/v1/hub-files-v1';
export type { MetricComputeOptionsV1, MetricItemV1, MetricResultV1, MetricV1 } from './metric/v1/metric-v1';
export type {
  GenerateRequestV1,
  GenerateResultV1,
  LanguageModelInfoV1,
  LanguageModelV1,
} from './model/v1/language-model-v1';
export type { ModelLoaderV1, ModelSourceV1 } from './model/v1/model-loader-v1';
export type {
  ComponentContextV1,
  ComponentFactoryV1,
  ComponentKindV1,
  ComponentKindsV1,
} from './plugin/v1/component-v1';
export type { OptionsIssueV1, OptionsSchemaV1, OptionsValidationResultV1 } from './plugin/v1/options-schema-v1';
export type { PluginKindV1, PluginRegisterOptionsV1, RlgfPluginV1 } from './plugin/v1/plugin-v1';
export type {
  RewardFunctionV1,
  RewardSampleV1,
  RewardScoreOptionsV1,
  RewardScoreResultV1,
} from './reward/v1/reward-function-v1';
export type { RewardTrainerV1, RewardTrainOptionsV1, RewardTrainResultV1 } from './reward-trainer/v1/reward-trainer-v1';
export type { ComponentRefV1 } from './shared/v1/component-ref-v1';
export type { BeamDecodingV1, DecodingV1, GreedyDecodingV1, SamplingDecodingV1 } from './shared/v1/decoding-v1';
export { injectionToken, type InjectionTokenV1 } from './shared/v1/injection-token';
export type { LoggerV1 } from './shared/v1/logger-v1';
export type { WarningV1 } from './shared/v1/warning-v1';
export type { TaskSampleV1 } from './task/v1/task-sample-v1';
export type {
  TaskGenerationDefaultsV1,
  TaskLoadSamplesOptionsV1,
  TaskSplitV1,
  TaskV1,
} from './task/v1/task-v1';
export type { TokenizerV1 } from './tokenizer/v1/tokenizer-v1';
export type { TrackedSampleV1, TrackedValuesV1, TrackerV1 } from './tracker/v1/tracker-v1';
export type { TrainerRunOptionsV1, TrainerV1, TrainSummaryV1 } from './trainer/v1/trainer-v1';
export * from './errors/errors';
export { RlgfError } from './errors/rlgf-error';
export * from './tokens';
