import { z } from 'zod';

export const positiveInt = z.number().int().positive();
export const nonNegativeInt = z.number().int().nonnegative();
export const probability = z.number().min(0).max(1);
export const optionsRecord = z.record(z.string(), z.unknown());

/** Accepts the shorthand `imdb` for `{ id: imdb }`. */
const idShorthand = (value: unknown) => (typeof value === 'string' ? { id: value } : value);

export const componentRef = z.preprocess(
  idShorthand,
  z.strictObject({
    id: z.string().min(1).describe('Registered component id (`rlgf plugins` lists them).'),
    options: optionsRecord.default({}).describe("Options of the component's factory (`rlgf plugins --options`)."),
  }),
);

export const weightedComponentRef = z.preprocess(
  idShorthand,
  z.strictObject({
    id: z.string().min(1).describe('Registered reward id.'),
    options: optionsRecord.default({}).describe("Options of the reward's factory."),
    weight: z.number().default(1).describe('Weight of this reward in the sum.'),
  }),
);

export const decoding = z.discriminatedUnion('strategy', [
  z.strictObject({ strategy: z.literal('greedy') }),
  z.strictObject({
    strategy: z.literal('sample'),
    temperature: z.number().positive().default(1).describe('Softmax temperature.'),
    topK: nonNegativeInt.default(0).describe('Keep the k most likely tokens (0: all).'),
    topP: z.number().gt(0).max(1).default(1).describe('Nucleus sampling mass (1: all).'),
  }),
  z.strictObject({
    strategy: z.literal('beam'),
    numBeams: positiveInt.describe('Number of beams.'),
    lengthPenalty: z.number().default(1).describe('Exponent of the length normalisation of beam scores.'),
  }),
]);

/**
 * A model: a local directory (`./runs/sft/model`, `/abs/dir`) or a Hub model id (`owner/name`,
 * optionally `owner/name/subfolder`), in Hugging Face layout or llama2.c format.
 */
export const modelRef = z.preprocess(
  (value) => (typeof value === 'string' ? { source: value } : value),
  z.strictObject({
    source: z.string().min(1).describe('A local directory (starting with ./, ../ or /) or a Hub id owner/name[/subfolder].'),
    revision: z.string().default('main').describe('Hub revision: branch, tag or commit.'),
    format: z
      .enum(['auto', 'hf', 'llama2c'])
      .default('auto')
      .describe('`auto` detects a Hugging Face folder (config.json) or llama2.c files (*.bin + tok*.bin).'),
    init: z
      .enum(['pretrained', 'random'])
      .default('pretrained')
      .describe('`random`: fresh weights for the folder\'s config.json and tokenizer, seeded by the run seed (training from scratch).'),
  }),
);
