import { InvalidArgumentError, type ComponentFactoryV1, type RewardFunctionV1, type RewardSampleV1 } from '@rlgf/contracts';
import { z } from 'zod';
import { loadFunction } from './load-function';

export const functionOptions = z.strictObject({
  module: z.string().min(1).describe('the .ts or .js file exporting the function, relative to the working directory (e.g. ./my-reward.ts), or a package name'),
  export: z.string().min(1).default('default').describe('the name of the exported function'),
  batched: z
    .boolean()
    .default(true)
    .describe('true: called once per batch with the list of samples, returns a list of numbers; false: called once per sample, returns a number'),
  settings: z.record(z.string(), z.unknown()).default({}).describe('passed to the function as its second argument'),
});

export type FunctionOptions = z.output<typeof functionOptions>;
export type BatchedScore = (samples: readonly RewardSampleV1[], settings: Readonly<Record<string, unknown>>) => readonly number[] | Promise<readonly number[]>;
export type SampleScore = (sample: RewardSampleV1, settings: Readonly<Record<string, unknown>>) => number | Promise<number>;

function checkScores(scores: unknown, count: number, name: string): number[] {
  if (!Array.isArray(scores) || scores.length !== count || !scores.every((score) => typeof score === 'number')) {
    const got = Array.isArray(scores) ? `a list of ${scores.length} (${[...new Set(scores.map((score) => typeof score))].join(', ')})` : typeof scores;
    throw new InvalidArgumentError({ argument: `reward ${name}`, expected: `one number per sample (${count}), got ${got}`, hint: 'a batched function returns a list of numbers; set `batched: false` for one that scores one sample' });
  }
  return scores as number[];
}

/**
 * A terminal reward computed by your function: batched (one call per rollout batch, the usual
 * shape for a reward that runs a model or calls a service) or per sample, sync or async.
 */
export function createFunctionReward(score: BatchedScore | SampleScore, options: Pick<FunctionOptions, 'batched' | 'settings'> & { readonly name: string }): RewardFunctionV1 {
  return {
    specificationVersion: 'v1',
    id: 'function',
    granularity: 'terminal',
    async doScore({ samples }) {
      const scores = options.batched
        ? await (score as BatchedScore)(samples, options.settings)
        : await Promise.all(samples.map((sample) => (score as SampleScore)(sample, options.settings)));
      return { scores: checkScores(scores, samples.length, options.name), warnings: [] };
    },
  };
}

export const functionRewardFactory: ComponentFactoryV1<'reward', FunctionOptions> = {
  specificationVersion: 'v1',
  kind: 'reward',
  id: 'function',
  description: 'your own reward: a named export of a local .ts/.js module (options: module, export), batched or per sample, sync or async',
  optionsSchema: functionOptions,
  async create(options, context) {
    const score = await loadFunction('reward', options.module, options.export, context.workingDirectory);
    return createFunctionReward(score as BatchedScore, { ...options, name: `${options.module}#${options.export}` });
  },
};
