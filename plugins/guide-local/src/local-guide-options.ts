import type { ModelReference } from '@rlgf/models';
import { z } from 'zod';

const model = z
  .union([
    z.string().min(1),
    z.strictObject({
      source: z.string().min(1),
      revision: z.string().optional(),
      format: z.enum(['auto', 'hf', 'llama2c']).default('auto'),
    }),
  ])
  .transform((value): ModelReference => (typeof value === 'string' ? { source: value } : value))
  .describe('the guide model: a local directory or a Hub id owner/name[/subfolder] (string), or { source, revision, format: auto | hf | llama2c }');

const decoding = z
  .discriminatedUnion('strategy', [
    z.strictObject({ strategy: z.literal('greedy') }),
    z.strictObject({
      strategy: z.literal('sample'),
      temperature: z.number().gt(0).default(1),
      topK: z.number().int().min(0).default(0),
      topP: z.number().gt(0).max(1).default(1),
    }),
  ])
  .default({ strategy: 'sample', topP: 0.92, temperature: 1, topK: 0 })
  .describe("how the guide samples: { strategy: greedy } or { strategy: sample, temperature?, topK?, topP? }; the default is the authors' IMDB setup");

/** The options of the `local` guide; the core validates them and `rlgf plugins --options` shows them. */
export const localGuideOptions = z.strictObject({
  model,
  decoding,
  tokenization: z
    .enum(['auto', 'shared', 'text'])
    .default('auto')
    .describe('`auto`: `shared` when the guide encodes like the policy, else `text`; or force one'),
  batchSize: z.number().int().min(1).default(16).describe('prompts per generate call'),
});

export type LocalGuideOptions = z.output<typeof localGuideOptions>;
