import { z } from 'zod';

export const letters = 'abcdefghijklmnop'.split('');

const count = (what: string, fallback: number) => z.number().int().min(1).default(fallback).describe(what);

/** The options of the `synthetic` task; the core validates them and `rlgf plugins --options` shows them. */
export const syntheticTaskOptions = z.strictObject({
  target: z.enum(letters as [string, ...string[]]).default('a').describe('the letter the reward counts'),
  promptLength: count('letters per prompt', 4),
  generationLength: count('tokens to generate', 8),
  referenceTargetShare: z.number().min(0).max(1).default(0.5).describe('share of the target letter in the references used by SFT and the MLE loss'),
  trainSize: count('training prompts', 2000),
  validationSize: count('validation prompts', 64),
  testSize: count('test prompts', 64),
  seed: z.number().int().min(0).default(0).describe('seed of the generated data'),
});

export type SyntheticTaskOptions = z.output<typeof syntheticTaskOptions>;
