import { z } from 'zod';

const paths = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
const componentRef = z.strictObject({ id: z.string().min(1), options: z.record(z.string(), z.unknown()).optional() });
const decoding = z.discriminatedUnion('strategy', [
  z.strictObject({ strategy: z.literal('greedy') }),
  z.strictObject({ strategy: z.literal('sample'), temperature: z.number().positive().optional(), topK: z.number().int().min(0).optional(), topP: z.number().gt(0).max(1).optional() }),
  z.strictObject({ strategy: z.literal('beam'), numBeams: z.number().int().min(1), lengthPenalty: z.number().optional() }),
]);
const splitSpec = z.string().min(1);

/** The options of the `files` task: where the rows are, which columns are what, how splits are cut. */
export const filesTaskOptions = z
  .strictObject({
    data: z
      .union([paths, z.record(z.string().regex(/^\w+$/), paths)])
      .optional()
      .describe('local .jsonl, .csv or .parquet file(s), relative to the working directory: one file or a list (the split "train"), or { <split>: file(s) }'),
    dataset: z.string().min(1).optional().describe('a Hub dataset repository stored as parquet (owner/name), instead of `data`'),
    config: z.string().optional().describe('the Hub dataset config, when it has several'),
    revision: z.string().optional().describe('the Hub dataset branch, tag or commit (default main)'),
    prompt: z.string().min(1).default('prompt').describe('the column holding the prompt text'),
    template: z
      .string()
      .optional()
      .describe('build the prompt from several columns instead: "{column}" is replaced by that column\'s value, e.g. "Question: {question}\\nAnswer:"'),
    references: z
      .union([z.string().min(1), z.array(z.string().min(1))])
      .optional()
      .describe('the column(s) holding reference texts (a string or a list of strings per row); default "reference" when the data has it, else none'),
    id: z.string().optional().describe('the column holding a stable sample id; default the split spec and row number'),
    meta: z.array(z.string()).optional().describe('columns handed to rewards and metrics as the sample\'s meta; default every other column'),
    splits: z
      .strictObject({ train: splitSpec.optional(), validation: splitSpec.optional(), test: splitSpec.optional() })
      .default({})
      .describe(
        'split spec of each task split (e.g. { train: "train[:80%]", validation: "train[80%:]" }); default: the data\'s train, validation and test splits, and without a validation split the last 10% of train (train keeps the first 90%); test defaults to validation',
      ),
    maxNewTokens: z.number().int().min(1).default(32).describe('new tokens per generation'),
    minNewTokens: z.number().int().min(0).default(0).describe('end-of-sequence is held back before this many new tokens'),
    maxPromptTokens: z.number().int().min(1).optional().describe('longest prompt in policy tokens; longer prompts are cut by the trainer'),
    evalDecoding: decoding.default({ strategy: 'greedy' }).describe('decoding for evaluation: { strategy: greedy | sample (temperature, topK, topP) | beam (numBeams) }'),
    reward: componentRef.default({ id: 'function' }).describe('the reward used when the recipe names none (default the `function` reward, which needs its `module` option)'),
    metrics: z.array(componentRef).default([]).describe('the metrics used when the recipe names none'),
  })
  .refine((options) => (options.data === undefined) !== (options.dataset === undefined), {
    message: 'exactly one of `data` (local files) and `dataset` (a Hub repository)',
  });

export type FilesTaskOptions = z.output<typeof filesTaskOptions>;
