import { InvalidArgumentError, type TaskSplitV1 } from '@rlgf/contracts';
import { parseSplitSpec } from '@rlgf/datasets';

export interface TldrTaskOptions {
  /** Longest prompt in policy tokens, not counting what the tokenizer puts first (BOS). */
  readonly maxPromptTokens: number;
  /** Dataset split spec of each task split. */
  readonly splits: Readonly<Record<TaskSplitV1, string>>;
  /** The reward-model checkpoint of the default reward and the `reward-model` metric. */
  readonly rewardModel: string;
}

/** Where `rlgf train-reward --task tldr` writes its reward model by default. */
export const defaultRewardModel = 'runs/rewards/tldr-reward-model';

/** The 500 posts of the mirror's test split, cut 400 / 50 / 50. */
export const defaultSplits: Readonly<Record<TaskSplitV1, string>> = { train: 'test[:400]', validation: 'test[400:450]', test: 'test[450:]' };

/** Option name -> help, for `rlgf plugins --options`. */
export const tldrOptionHelp: Readonly<Record<string, string>> = {
  maxPromptTokens:
    'longest prompt in policy tokens (BOS not counted); longer posts lose whole words from their start, the SUBREDDIT/TITLE header and the TL;DR: suffix are always kept (default 400)',
  trainSplit: `dataset split spec of the train split (default ${defaultSplits.train})`,
  validationSplit: `dataset split spec of the validation split (default ${defaultSplits.validation})`,
  testSplit: `dataset split spec of the test split (default ${defaultSplits.test})`,
  rewardModel: `reward-model checkpoint (directory or Hub id) of the default reward and the reward-model metric (default ${defaultRewardModel}, where \`rlgf train-reward --task tldr\` writes)`,
};

type RawOptions = Readonly<Record<string, unknown>>;

function splitOption(options: RawOptions, name: string, fallback: string): string {
  const value = options[name] ?? fallback;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidArgumentError({ argument: `task.options.${name}`, value, expected: 'a dataset split spec such as test[:400]' });
  }
  try {
    parseSplitSpec(value);
  } catch (error) {
    throw new InvalidArgumentError({ argument: `task.options.${name}`, value, expected: 'a dataset split spec such as test[:400] or test[400:450]', hint: error instanceof Error ? error.message : undefined });
  }
  return value;
}

/** Validates the options of the `tldr` task, naming the bad field. */
export function parseTldrOptions(options: RawOptions): TldrTaskOptions {
  const unknown = Object.keys(options).filter((name) => !(name in tldrOptionHelp));
  if (unknown.length > 0) {
    throw new InvalidArgumentError({
      argument: `task.options.${unknown[0]}`,
      expected: `one of the tldr task's options: ${Object.keys(tldrOptionHelp).join(', ')}`,
      hint: 'check the spelling (options change which prompts are loaded, so unknown ones are not ignored)',
    });
  }
  const maxPromptTokens = options.maxPromptTokens ?? 400;
  if (typeof maxPromptTokens !== 'number' || !Number.isInteger(maxPromptTokens) || maxPromptTokens < 1) {
    throw new InvalidArgumentError({ argument: 'task.options.maxPromptTokens', value: maxPromptTokens, expected: 'an integer >= 1' });
  }
  const rewardModel = options.rewardModel ?? defaultRewardModel;
  if (typeof rewardModel !== 'string' || rewardModel.trim() === '') {
    throw new InvalidArgumentError({ argument: 'task.options.rewardModel', value: rewardModel, expected: 'a reward-model checkpoint directory or Hub id' });
  }
  return {
    maxPromptTokens,
    splits: {
      train: splitOption(options, 'trainSplit', defaultSplits.train),
      validation: splitOption(options, 'validationSplit', defaultSplits.validation),
      test: splitOption(options, 'testSplit', defaultSplits.test),
    },
    rewardModel,
  };
}
