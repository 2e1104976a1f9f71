import { InvalidArgumentError, type TaskSplitV1 } from '@rlgf/contracts';

export interface CommonGenTaskOptions {
  /** Text before the concepts (RL4LMs and TRIL: "generate a sentence with: "). */
  readonly prefix: string;
  /** Text between two concepts. */
  readonly separator: string;
  /** Text after the last concept (TRIL's `concept_end_token`: "."). */
  readonly suffix: string;
  /** Seed of the order of the concept sets (which ones a capped split keeps). */
  readonly orderSeed: number;
  /** At most this many concept sets per split. */
  readonly caps: Readonly<Partial<Record<TaskSplitV1, number>>>;
}

/** Option name -> help, for `rlgf plugins --options`. */
export const commonGenOptionHelp: Readonly<Record<string, string>> = {
  prefix: 'text before the concepts (default "generate a sentence with: ", as RL4LMs and TRIL)',
  separator: 'text between concepts (default " ")',
  suffix: 'text after the last concept (default ".", TRIL\'s concept_end_token)',
  orderSeed: 'seed of the shuffle that orders the concept sets of every split, so a capped split is a random subset (default 0)',
  trainSize: 'keep at most this many train concept sets (default all)',
  validationSize: 'keep at most this many validation concept sets (default all 993)',
  testSize: 'keep at most this many test concept sets (default all 1,497)',
};

type RawOptions = Readonly<Record<string, unknown>>;

function integerOption(options: RawOptions, name: string, min: number): number | undefined {
  const value = options[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > 0xffffffff) {
    throw new InvalidArgumentError({ argument: `task.options.${name}`, value, expected: `an integer >= ${min}` });
  }
  return value;
}

function textOption(options: RawOptions, name: string, fallback: string): string {
  const value = options[name] ?? fallback;
  if (typeof value !== 'string') throw new InvalidArgumentError({ argument: `task.options.${name}`, value, expected: 'a string' });
  return value;
}

/** Validates the options of the `commongen` task, naming the bad field. */
export function parseCommonGenOptions(options: RawOptions): CommonGenTaskOptions {
  const unknown = Object.keys(options).filter((name) => !(name in commonGenOptionHelp));
  if (unknown.length > 0) {
    throw new InvalidArgumentError({
      argument: `task.options.${unknown[0]}`,
      expected: `one of the commongen task's options: ${Object.keys(commonGenOptionHelp).join(', ')}`,
      hint: 'check the spelling (options change which data is loaded and how prompts read, so unknown ones are not ignored)',
    });
  }
  return {
    prefix: textOption(options, 'prefix', 'generate a sentence with: '),
    separator: textOption(options, 'separator', ' '),
    suffix: textOption(options, 'suffix', '.'),
    orderSeed: integerOption(options, 'orderSeed', 0) ?? 0,
    caps: {
      train: integerOption(options, 'trainSize', 1),
      validation: integerOption(options, 'validationSize', 1),
      test: integerOption(options, 'testSize', 1),
    },
  };
}
