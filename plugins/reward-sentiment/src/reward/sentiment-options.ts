import type { WarningV1 } from '@rlgf/contracts';
import { z } from 'zod';

/** The checkpoint the authors rewarded IMDB continuations with (label 1 = POSITIVE). */
export const defaultSentimentModel = 'lvwerra/distilbert-imdb';

export const defaultBatchSize = 16;

/** The options of the `sentiment` reward and metric; the core validates them and `rlgf plugins --options` shows them. */
export const sentimentOptions = z.strictObject({
  model: z
    .string()
    .trim()
    .min(1)
    .default(defaultSentimentModel)
    .describe("classifier checkpoint: a directory written by `rlgf train-reward --task imdb`, or a DistilBERT sequence classifier (directory or Hub id; the default is the authors')"),
  includePrompt: z.boolean().default(true).describe('score prompt + generation, as TRIL (`include_prompt_for_eval: True`); false scores the generation alone'),
  label: z
    .union([z.number().int().min(0), z.string()])
    .optional()
    .describe('the class whose probability is the score, as an index or a label name (default the positive one)'),
  // No schema default: whether it was given decides the n-gram classifier's warning.
  batchSize: z.number().int().min(1).optional().describe(`texts per DistilBERT forward pass (default ${defaultBatchSize})`),
});

export type SentimentOptions = z.output<typeof sentimentOptions>;

/** The text a sample is judged on. */
export function scoredText(prompt: string | undefined, generation: string, includePrompt: boolean): string {
  return includePrompt ? `${prompt ?? ''}${generation}` : generation;
}

/** Warnings for options the loaded classifier does not use. */
export function ignoredOptionWarnings(options: SentimentOptions, classifierKind: 'ngram' | 'distilbert'): WarningV1[] {
  return classifierKind === 'ngram' && options.batchSize !== undefined
    ? [{ type: 'unsupported-option', field: 'batchSize', message: 'batchSize is used by DistilBERT checkpoints only; the n-gram classifier scores all texts at once' }]
    : [];
}
