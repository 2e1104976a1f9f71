import type { TaskSplitV1 } from '@rlgf/contracts';
import { parseSplitSpec } from '@rlgf/datasets';
import { z } from 'zod';

/** Where `rlgf train-reward --task tldr` writes its reward model by default. */
export const defaultRewardModel = 'runs/rewards/tldr-reward-model';

/** The 500 posts of the mirror's test split, cut 400 / 50 / 50. */
export const defaultSplits: Readonly<Record<TaskSplitV1, string>> = { train: 'test[:400]', validation: 'test[400:450]', test: 'test[450:]' };

// Checked here rather than when the split is read, so a bad spec fails before any model loads.
const splitSpec = (split: TaskSplitV1) =>
  z
    .string()
    .default(defaultSplits[split])
    .superRefine((value, context) => {
      try {
        if (value.trim() === '') throw new Error('empty');
        parseSplitSpec(value);
      } catch (error) {
        const why = error instanceof Error && error.message !== 'empty' ? ` (${error.message})` : '';
        context.addIssue({ code: 'custom', message: `got ${JSON.stringify(value)}, expected a dataset split spec such as test[:400] or test[400:450]${why}` });
      }
    })
    .describe(`dataset split spec of the ${split} split`);

/** The options of the `tldr` task; the core validates them and `rlgf plugins --options` shows them. */
export const tldrTaskOptions = z.strictObject({
  maxPromptTokens: z
    .number()
    .int()
    .min(1)
    .default(400)
    .describe('longest prompt in policy tokens (BOS not counted); longer posts lose whole words from their start, the SUBREDDIT/TITLE header and the TL;DR: suffix are always kept'),
  trainSplit: splitSpec('train'),
  validationSplit: splitSpec('validation'),
  testSplit: splitSpec('test'),
  rewardModel: z
    .string()
    .trim()
    .min(1)
    .default(defaultRewardModel)
    .describe('reward-model checkpoint (directory or Hub id) of the default reward and the reward-model metric (the default is where `rlgf train-reward --task tldr` writes)'),
});

export type TldrTaskOptions = z.output<typeof tldrTaskOptions>;

/** The dataset split spec of each task split. */
export function splitsOf(options: TldrTaskOptions): Readonly<Record<TaskSplitV1, string>> {
  return { train: options.trainSplit, validation: options.validationSplit, test: options.testSplit };
}
