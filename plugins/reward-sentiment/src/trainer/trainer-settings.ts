import { InvalidArgumentError } from '@rlgf/contracts';

export interface ImdbSentimentTrainerSettings {
  /** Train reviews used (a seeded sample of the train split); default all 25,000. */
  readonly trainSize?: number;
  /** Test reviews the accuracy is measured on; default all 25,000. */
  readonly evalSize?: number;
  readonly buckets: number;
  readonly ngramMax: number;
  readonly epochs: number;
  readonly learningRate: number;
  readonly batchSize: number;
  readonly nbSmoothing: number;
}

/** Setting name -> help, for `rlgf plugins --options` and errors. */
export const trainerSettingsHelp: Readonly<Record<string, string>> = {
  trainSize: 'train reviews to learn from, a seeded sample of the 25,000 (default all)',
  evalSize: 'test reviews to measure accuracy on, a seeded sample of the 25,000 (default all)',
  buckets: 'hash buckets of the n-gram features, i.e. weights (default 1048576 = 2^20: 4 MB)',
  ngramMax: 'longest word n-gram (default 2: unigrams and bigrams)',
  epochs: 'passes over the training reviews (default 2)',
  learningRate: 'Adam learning rate (default 0.002)',
  batchSize: 'reviews per Adam step (default 64)',
  nbSmoothing: 'smoothing α of the naive-Bayes ratios (default 1)',
};

type RawSettings = Readonly<Record<string, unknown>>;

function numberSetting(settings: RawSettings, name: string, fallback: number | undefined, rule: { integer: boolean; min: number; max?: number; minExclusive?: boolean }): number | undefined {
  const value = settings[name];
  if (value === undefined) return fallback;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    (rule.minExclusive ? value > rule.min : value >= rule.min) &&
    (rule.max === undefined || value <= rule.max);
  if (!ok) {
    const range = `${rule.minExclusive ? '>' : '>='} ${rule.min}${rule.max === undefined ? '' : ` and <= ${rule.max}`}`;
    throw new InvalidArgumentError({ argument: `settings.${name}`, value, expected: `${rule.integer ? 'an integer' : 'a number'} ${range}` });
  }
  return value;
}

/** Validates the settings of the `imdb-sentiment` reward trainer, naming the bad one. */
export function parseTrainerSettings(settings: RawSettings): ImdbSentimentTrainerSettings {
  const unknown = Object.keys(settings).filter((name) => !(name in trainerSettingsHelp));
  if (unknown.length > 0) {
    throw new InvalidArgumentError({ argument: `settings.${unknown[0]}`, expected: `one of ${Object.keys(trainerSettingsHelp).join(', ')}` });
  }
  return {
    trainSize: numberSetting(settings, 'trainSize', undefined, { integer: true, min: 2 }),
    evalSize: numberSetting(settings, 'evalSize', undefined, { integer: true, min: 1 }),
    buckets: numberSetting(settings, 'buckets', 1 << 20, { integer: true, min: 1, max: 1 << 26 }) as number,
    ngramMax: numberSetting(settings, 'ngramMax', 2, { integer: true, min: 1, max: 5 }) as number,
    epochs: numberSetting(settings, 'epochs', 2, { integer: true, min: 1 }) as number,
    learningRate: numberSetting(settings, 'learningRate', 0.002, { integer: false, min: 0, minExclusive: true }) as number,
    batchSize: numberSetting(settings, 'batchSize', 64, { integer: true, min: 1 }) as number,
    nbSmoothing: numberSetting(settings, 'nbSmoothing', 1, { integer: false, min: 0, minExclusive: true }) as number,
  };
}
