import { InvalidArgumentError } from '@rlgf/contracts';

export const letters = 'abcdefghijklmnop'.split('');

export interface SyntheticTaskOptions {
  readonly target: string;
  readonly promptLength: number;
  readonly generationLength: number;
  readonly referenceTargetShare: number;
  readonly trainSize: number;
  readonly validationSize: number;
  readonly testSize: number;
  readonly seed: number;
}

export const syntheticOptionDocs = {
  target: 'the letter the reward counts (default a)',
  promptLength: 'letters per prompt (default 4)',
  generationLength: 'tokens to generate (default 8)',
  referenceTargetShare: 'share of the target letter in the references used by SFT and the MLE loss (default 0.5)',
  trainSize: 'training prompts (default 2000)',
  validationSize: 'validation prompts (default 64)',
  testSize: 'test prompts (default 64)',
  seed: 'seed of the generated data (default 0)',
};

function integer(options: Readonly<Record<string, unknown>>, key: string, fallback: number, min: number): number {
  const value = options[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new InvalidArgumentError({ argument: `task.options.${key}`, value, expected: `an integer >= ${min}` });
  }
  return value;
}

export function parseSyntheticOptions(options: Readonly<Record<string, unknown>>): SyntheticTaskOptions {
  const unknown = Object.keys(options).filter((key) => !(key in syntheticOptionDocs));
  if (unknown.length > 0) throw new InvalidArgumentError({ argument: 'task.options', value: unknown, expected: `only ${Object.keys(syntheticOptionDocs).join(', ')}` });
  const target = options.target ?? 'a';
  if (typeof target !== 'string' || !letters.includes(target)) {
    throw new InvalidArgumentError({ argument: 'task.options.target', value: target, expected: `one of the letters ${letters.join('')}` });
  }
  const share = options.referenceTargetShare ?? 0.5;
  if (typeof share !== 'number' || share < 0 || share > 1) {
    throw new InvalidArgumentError({ argument: 'task.options.referenceTargetShare', value: share, expected: 'a number in [0, 1]' });
  }
  return {
    target,
    promptLength: integer(options, 'promptLength', 4, 1),
    generationLength: integer(options, 'generationLength', 8, 1),
    referenceTargetShare: share,
    trainSize: integer(options, 'trainSize', 2000, 1),
    validationSize: integer(options, 'validationSize', 64, 1),
    testSize: integer(options, 'testSize', 64, 1),
    seed: integer(options, 'seed', 0, 0),
  };
}
