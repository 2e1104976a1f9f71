import { z } from 'zod';

export const positiveInt = z.number().int().positive();
export const nonNegativeInt = z.number().int().nonnegative();
export const probability = z.number().min(0).max(1);
export const optionsRecord = z.record(z.string(), z.unknown());

/** A component reference; the shorthand `imdb` means `{ id: imdb }`. */
export const componentRef = z.preprocess(
  (value) => (typeof value === 'string' ? { id: value } : value),
  z.strictObject({
    /** The registered component id. */
    id: z.string().min(1),
    /** Options for the component's factory (validated by the component). */
    options: optionsRecord.default({}),
  }),
);

export const weightedComponentRef = z.preprocess(
  (value) => (typeof value === 'string' ? { id: value } : value),
  z.strictObject({
    id: z.string().min(1),
    options: optionsRecord.default({}),
    /** Weight of this reward in the weighted sum. */
    weight: z.number().default(1),
  }),
);

export const decoding = z.discriminatedUnion('strategy', [
  z.strictObject({ strategy: z.literal('greedy') }),
  z.strictObject({
    strategy: z.literal('sample'),
    temperature: z.number().positive().default(1),
    topK: nonNegativeInt.default(0),
    topP: z.number().gt(0).max(1).default(1),
  }),
  z.strictObject({
    strategy: z.literal('beam'),
    numBeams: positiveInt,
    lengthPenalty: z.number().default(1),
  }),
]);

/**
 * A model: a local directory (`./runs/sft/model`, `/abs/dir`) or a Hub model id
 * (`owner/name`, optionally `owner/name/subfolder`), in Hugging Face layout or llama2.c format.
 */
export const modelRef = z.preprocess(
  (value) => (typeof value === 'string' ? { source: value } : value),
  z.strictObject({
    source: z.string().min(1),
    /** Hub revision (branch, tag or commit). */
    revision: z.string().default('main'),
    /** `auto` detects Hugging Face (`config.json`) or llama2.c (`*.bin` + `tok*.bin`) layouts. */
    format: z.enum(['auto', 'hf', 'llama2c']).default('auto'),
  }),
);
