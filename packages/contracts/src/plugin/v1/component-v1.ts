import type { GuideV1 } from '../../guide/v1/guide-v1';
import type { HubFilesV1 } from '../../hub/v1/hub-files-v1';
import type { MetricV1 } from '../../metric/v1/metric-v1';
import type { LanguageModelV1 } from '../../model/v1/language-model-v1';
import type { ModelLoaderV1 } from '../../model/v1/model-loader-v1';
import type { RewardFunctionV1 } from '../../reward/v1/reward-function-v1';
import type { RewardTrainerV1 } from '../../reward-trainer/v1/reward-trainer-v1';
import type { ComponentRefV1 } from '../../shared/v1/component-ref-v1';
import type { LoggerV1 } from '../../shared/v1/logger-v1';
import type { TaskV1 } from '../../task/v1/task-v1';
import type { TokenizerV1 } from '../../tokenizer/v1/tokenizer-v1';
import type { TrackerV1 } from '../../tracker/v1/tracker-v1';
import type { OptionsSchemaV1 } from './options-schema-v1';

/** What each component kind creates. */
export interface ComponentKindsV1 {
  task: TaskV1;
  guide: GuideV1;
  reward: RewardFunctionV1;
  metric: MetricV1;
  'reward-trainer': RewardTrainerV1;
  /** A metrics sink a recipe adds to the run's own tracking files (`trackers: [{ id, options }]`). */
  tracker: TrackerV1;
}

export type ComponentKindV1 = keyof ComponentKindsV1;

/**
 * Run-scoped collaborators handed to every factory, so tests can pass their own. Typed fields,
 * not the run's container: a plugin sees what it may use and needs no dependency-injection library.
 */
export interface ComponentContextV1 {
  readonly hub: HubFilesV1;
  readonly logger: LoggerV1;
  /** The run seed; derive component-specific streams from it, never use `Math.random`. */
  readonly seed: number;
  /** A directory where the component may cache derived artifacts between runs. */
  readonly cacheDir: string;
  /** The directory relative paths in options (model folders, data files) are resolved against. */
  readonly workingDirectory: string;
  /** The policy's tokenizer once a run has loaded the policy; undefined before (listing plugins, scoring files). */
  readonly policyTokenizer?: TokenizerV1;
  /** The policy being trained (its current weights), for metrics such as perplexity; undefined where there is none. */
  readonly policyModel?: LanguageModelV1;
  /** The run's output folder, where trackers write; undefined outside a training run. */
  readonly runDirectory?: string;
  /** How the run loads frozen models (absent outside a run: load with `@rlgf/models` directly). */
  readonly models?: ModelLoaderV1;
  /** Creates another registered component (a reward built from metrics, for example). */
  createComponent<K extends ComponentKindV1>(
    kind: K,
    ref: ComponentRefV1,
  ): Promise<ComponentKindsV1[K]>;
}

/**
 * Registered by a plugin, one per component it offers. The core finds factories by kind and id
 * and calls `create` with the recipe's options for that component.
 */
export interface ComponentFactoryV1<K extends ComponentKindV1 = ComponentKindV1, Options = Readonly<Record<string, unknown>>> {
  readonly specificationVersion: 'v1';
  readonly kind: K;
  /** The name recipes use, unique per kind (e.g. `imdb`, `cider-d`). */
  readonly id: string;
  /** One line for `rlgf plugins`. */
  readonly description: string;
  /** Option name -> what it does and its default, for `rlgf plugins --options` (factories without a schema). */
  readonly options?: Readonly<Record<string, string>>;
  /**
   * The options as a schema (a zod object schema, say). When present the core validates the
   * recipe's options with it (unknown options are errors, each issue named as
   * `<kind>.options.<field>`), passes `create` the parsed value (defaults filled in), and renders
   * `rlgf plugins --options` and the docs from its JSON Schema.
   */
  readonly optionsSchema?: OptionsSchemaV1<Options>;
  /**
   * Creates the component. With `optionsSchema`, `options` is the schema's parsed output;
   * without, the recipe's raw options, which the factory validates itself (throwing an
   * `InvalidArgumentError` that names the bad field).
   */
  create(options: Options, context: ComponentContextV1): Promise<ComponentKindsV1[K]>;
}
