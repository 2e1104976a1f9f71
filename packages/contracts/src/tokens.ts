import type { HubFilesV1 } from './hub/v1/hub-files-v1';
import type { LanguageModelV1 } from './model/v1/language-model-v1';
import type { ModelLoaderV1 } from './model/v1/model-loader-v1';
import type { ComponentFactoryV1 } from './plugin/v1/component-v1';
import type { RlgfPluginV1 } from './plugin/v1/plugin-v1';
import { injectionToken } from './shared/v1/injection-token';
import type { TokenizerV1 } from './tokenizer/v1/tokenizer-v1';

/** Task factories; several registrations, told apart by `id`. */
export const TASK_FACTORY = injectionToken<ComponentFactoryV1<'task'>>('task-factory');
export const GUIDE_FACTORY = injectionToken<ComponentFactoryV1<'guide'>>('guide-factory');
export const REWARD_FACTORY = injectionToken<ComponentFactoryV1<'reward'>>('reward-factory');
export const METRIC_FACTORY = injectionToken<ComponentFactoryV1<'metric'>>('metric-factory');
export const REWARD_TRAINER_FACTORY = injectionToken<ComponentFactoryV1<'reward-trainer'>>('reward-trainer-factory');
export const TRACKER_FACTORY = injectionToken<ComponentFactoryV1<'tracker'>>('tracker-factory');

/** The plugins registered into a run's container, for listing and version checks. */
export const REGISTERED_PLUGIN = injectionToken<RlgfPluginV1>('registered-plugin');

export const HUB_FILES = injectionToken<HubFilesV1>('hub-files');
/** The policy being trained (its current weights), registered by the trainer for metrics such as perplexity. */
export const POLICY_MODEL = injectionToken<LanguageModelV1>('policy-model');
/** How the run loads frozen models (its model families, its shared LoRA bases), registered by the trainer. */
export const MODEL_LOADER = injectionToken<ModelLoaderV1>('model-loader');
/** The policy's tokenizer, registered by the trainer once the policy is loaded. */
export const POLICY_TOKENIZER = injectionToken<TokenizerV1>('policy-tokenizer');
