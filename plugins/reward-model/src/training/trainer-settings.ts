import { InvalidArgumentError } from '@rlgf/contracts';

export interface TldrRewardTrainerSettings {
  /** The trunk: a model reference (Hugging Face folder, Hub id, llama2.c model). */
  readonly model: string;
  /** Options of the `tldr` task whose prompts (and splits) the pairs are scored with. */
  readonly taskOptions: Readonly<Record<string, unknown>>;
  /** Preference pairs in the CarperAI/openai_summarize_comparisons layout. */
  readonly comparisons: string;
  readonly comparisonsSplit: string;
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly weightDecay: number;
  readonly maxGradNorm: number;
  /** Longest prompt + summary in trunk tokens (default: the trunk's positions). */
  readonly maxTokens?: number;
  readonly evalBatchSize: number;
}

export const defaultTrunk = 'karpathy/tinyllamas/stories260K';
export const defaultComparisons = 'CarperAI/openai_summarize_comparisons';

/** Setting name -> help, for `rlgf plugins --options` and errors. */
export const trainerSettingsHelp: Readonly<Record<string, string>> = {
  model: `trunk of the reward model: a Hugging Face folder, a Hub id or a llama2.c model (default ${defaultTrunk}); GPT-2 and Llama families`,
  taskOptions: 'options of the tldr task (maxPromptTokens, split specs) that cut the prompts and decide which posts train and which are held out; use the recipe\'s (default {})',
  comparisons: `preference pairs (prompt, chosen, rejected) on the Hub (default ${defaultComparisons})`,
  comparisonsSplit: 'dataset split spec of the pairs (default test)',
  epochs: 'passes over the training pairs (default 3)',
  batchSize: 'pairs per AdamW step (default 8)',
  learningRate: 'peak learning rate, decayed linearly to 0 (default 0.0001)',
  weightDecay: 'decoupled weight decay of AdamW (default 0)',
  maxGradNorm: 'clip the global gradient norm to this; 0 switches clipping off (default 1)',
  maxTokens: 'longest prompt + summary in trunk tokens; longer texts keep their end (default: the trunk\'s positions)',
  evalBatchSize: 'texts per forward pass when measuring accuracy (default 16)',
};

type RawSettings = Readonly<Record<string, unknown>>;

function numberSetting(settings: RawSettings, name: string, fallback: number, rule: { readonly integer: boolean; readonly min: number; readonly exclusive?: boolean }): number {
  const value = settings[name] ?? fallback;
  const ok = typeof value === 'number' && Number.isFinite(value) && (!rule.integer || Number.isInteger(value)) && (rule.exclusive ? value > rule.min : value >= rule.min);
  if (!ok) throw new InvalidArgumentError({ argument: `settings.${name}`, value, expected: `${rule.integer ? 'an integer' : 'a number'} ${rule.exclusive ? '>' : '>='} ${rule.min}` });
  return value as number;
}

function stringSetting(settings: RawSettings, name: string, fallback: string): string {
  const value = settings[name] ?? fallback;
  if (typeof value !== 'string' || value.trim() === '') throw new InvalidArgumentError({ argument: `settings.${name}`, value, expected: 'a non-empty string' });
  return value;
}

/** Validates the settings of the `tldr-reward-model` trainer, naming the bad one. */
export function parseTrainerSettings(settings: RawSettings): TldrRewardTrainerSettings {
  const unknown = Object.keys(settings).filter((name) => !(name in trainerSettingsHelp));
  if (unknown.length > 0) throw new InvalidArgumentError({ argument: `settings.${unknown[0]}`, expected: `one of ${Object.keys(trainerSettingsHelp).join(', ')}` });
  const taskOptions = settings.taskOptions ?? {};
  if (typeof taskOptions !== 'object' || taskOptions === null || Array.isArray(taskOptions)) {
    throw new InvalidArgumentError({ argument: 'settings.taskOptions', value: taskOptions, expected: 'a mapping of tldr task options, e.g. { maxPromptTokens: 192 }' });
  }
  return {
    model: stringSetting(settings, 'model', defaultTrunk),
    taskOptions: taskOptions as Record<string, unknown>,
    comparisons: stringSetting(settings, 'comparisons', defaultComparisons),
    comparisonsSplit: stringSetting(settings, 'comparisonsSplit', 'test'),
    epochs: numberSetting(settings, 'epochs', 3, { integer: true, min: 1 }),
    batchSize: numberSetting(settings, 'batchSize', 8, { integer: true, min: 1 }),
    learningRate: numberSetting(settings, 'learningRate', 1e-4, { integer: false, min: 0, exclusive: true }),
    weightDecay: numberSetting(settings, 'weightDecay', 0, { integer: false, min: 0 }),
    maxGradNorm: numberSetting(settings, 'maxGradNorm', 1, { integer: false, min: 0 }),
    maxTokens: settings.maxTokens === undefined ? undefined : numberSetting(settings, 'maxTokens', 0, { integer: true, min: 2 }),
    evalBatchSize: numberSetting(settings, 'evalBatchSize', 16, { integer: true, min: 1 }),
  };
}
