import { z } from 'zod';

const cap = (split: string, all: string) => z.number().int().min(1).optional().describe(`keep at most this many ${split} samples, the first of the shuffled order (default all ${all})`);

/** The options of the `imdb` task; the core validates them and `rlgf plugins --options` shows them. */
export const imdbTaskOptions = z.strictObject({
  promptTokens: z.number().int().min(1).default(64).describe('policy tokens of the review that form the prompt; the rest of the review is the reference'),
  splitSeed: z
    .number()
    .int()
    .min(0)
    .max(0xffffffff)
    .default(0)
    .describe('seed of the shuffle that cuts the dataset train split 80/20 into train/validation and orders every split'),
  trainSize: cap('train', '20,000'),
  validationSize: cap('validation', '5,000'),
  testSize: cap('test', '25,000; the authors evaluated on 5,000'),
  labels: z
    .array(z.literal([0, 1]))
    .min(1)
    .default([0, 1])
    .transform((labels) => [...new Set(labels)])
    .describe('keep only reviews with these labels, 0 (negative) and 1 (positive), e.g. [1] for positive reviews (an SFT on positive reviews, as the authors did)'),
  lineBreaks: z.enum(['newline', 'space']).default('newline').describe('"newline" renders <br /> as a line break (paragraphs kept apart by one empty line), "space" as a space'),
});

export type ImdbTaskOptions = z.output<typeof imdbTaskOptions>;
