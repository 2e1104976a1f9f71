import { InvalidArgumentError, type TaskSplitV1 } from '@rlgf/contracts';
import type { LineBreakMode } from './clean-review';

export interface ImdbTaskOptions {
  /** Policy tokens of each review that form the prompt. */
  readonly promptTokens: number;
  /** Seed of the train/validation cut and of the sample order. */
  readonly splitSeed: number;
  /** At most this many samples per split. */
  readonly caps: Readonly<Partial<Record<TaskSplitV1, number>>>;
  readonly lineBreaks: LineBreakMode;
  /** Keep only reviews with these labels (0 negative, 1 positive); default both. */
  readonly labels: readonly number[];
}

/** Option name -> help, for `rlgf plugins --options`. */
export const imdbOptionHelp: Readonly<Record<string, string>> = {
  promptTokens: 'policy tokens of the review that form the prompt; the rest of the review is the reference (default 64)',
  splitSeed: 'seed of the shuffle that cuts the dataset train split 80/20 into train/validation and orders every split (default 0)',
  trainSize: 'keep at most this many train samples, the first of the shuffled order (default all 20,000)',
  validationSize: 'keep at most this many validation samples (default all 5,000)',
  testSize: 'keep at most this many test samples (default all 25,000; the authors evaluated on 5,000)',
  labels: 'keep only reviews with these labels, e.g. [1] for positive reviews (an SFT on positive reviews, as the authors did); default [0, 1]',
  lineBreaks: '"newline" renders <br /> as a line break (paragraphs kept apart by one empty line), "space" as a space (default "newline")',
};

type RawOptions = Readonly<Record<string, unknown>>;

function integerOption(options: RawOptions, name: string, fallback: number | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError({ argument: `task.options.${name}`, value, expected: `an integer >= ${min}${max < Number.MAX_SAFE_INTEGER ? ` and <= ${max}` : ''}` });
  }
  return value;
}

/** Validates the options of the `imdb` task, naming the bad field. */
export function parseImdbOptions(options: RawOptions): ImdbTaskOptions {
  const unknown = Object.keys(options).filter((name) => !(name in imdbOptionHelp));
  if (unknown.length > 0) {
    throw new InvalidArgumentError({
      argument: `task.options.${unknown[0]}`,
      expected: `one of the imdb task's options: ${Object.keys(imdbOptionHelp).join(', ')}`,
      hint: 'check the spelling (options change which data is loaded, so unknown ones are not ignored)',
    });
  }
  const lineBreaks = options.lineBreaks ?? 'newline';
  if (lineBreaks !== 'newline' && lineBreaks !== 'space') {
    throw new InvalidArgumentError({ argument: 'task.options.lineBreaks', value: lineBreaks, expected: '"newline" or "space"' });
  }
  return {
    promptTokens: integerOption(options, 'promptTokens', 64, 1) as number,
    splitSeed: integerOption(options, 'splitSeed', 0, 0, 0xffffffff) as number,
    caps: {
      train: integerOption(options, 'trainSize', undefined, 1),
      validation: integerOption(options, 'validationSize', undefined, 1),
      test: integerOption(options, 'testSize', undefined, 1),
    },
    lineBreaks,
    labels: parseLabels(options.labels),
  };
}

function parseLabels(value: unknown): number[] {
  if (value === undefined) return [0, 1];
  if (!Array.isArray(value) || value.length === 0 || !value.every((label) => label === 0 || label === 1)) {
    throw new InvalidArgumentError({ argument: 'task.options.labels', value, expected: 'a non-empty list of labels 0 (negative) and 1 (positive)' });
  }
  return [...new Set(value as number[])];
}
