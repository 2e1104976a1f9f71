import type { TaskSplitV1 } from '@rlgf/contracts';
import { z } from 'zod';

const cap = (split: string, all: string) =>
  z.number().int().min(1).max(0xffffffff).optional().describe(`keep at most this many ${split} concept sets (default all${all})`);

/** The options of the `commongen` task; the core validates them and `rlgf plugins --options` shows them. */
export const commonGenTaskOptions = z.strictObject({
  prefix: z.string().default('generate a sentence with: ').describe('text before the concepts (as RL4LMs and TRIL)'),
  separator: z.string().default(' ').describe('text between concepts'),
  suffix: z.string().default('.').describe("text after the last concept (TRIL's concept_end_token)"),
  orderSeed: z
    .number()
    .int()
    .min(0)
    .max(0xffffffff)
    .default(0)
    .describe('seed of the shuffle that orders the concept sets of every split, so a capped split is a random subset'),
  trainSize: cap('train', ''),
  validationSize: cap('validation', ' 993'),
  testSize: cap('test', ' 1,497'),
});

export type CommonGenTaskOptions = z.output<typeof commonGenTaskOptions>;

/** The per-split caps of the options. */
export function capsOf(options: CommonGenTaskOptions): Readonly<Partial<Record<TaskSplitV1, number>>> {
  return { train: options.trainSize, validation: options.validationSize, test: options.testSize };
}
