import type { ComponentFactoryV1, TaskSampleV1, TaskSplitV1, TaskV1 } from '@rlgf/contracts';
import { Rng } from '@rlgf/core';
import { letters, syntheticTaskOptions, type SyntheticTaskOptions } from './synthetic-options';

function sample(options: SyntheticTaskOptions, split: TaskSplitV1, index: number): TaskSampleV1 {
  const rng = Rng.fromSeed(options.seed, 'synthetic', split, index);
  const prompt = Array.from({ length: options.promptLength }, () => letters[rng.nextInt(letters.length)]).join(' ');
  const others = letters.filter((letter) => letter !== options.target);
  const reference = Array.from({ length: options.generationLength }, () =>
    rng.bernoulli(options.referenceTargetShare) ? options.target : others[rng.nextInt(others.length)],
  ).join(' ');
  return { id: `${split}-${index}`, prompt, references: [reference] };
}

/** Prompts of random letters; the reward is the share of a target letter in what the policy writes. */
export function createSyntheticTask(options: SyntheticTaskOptions): TaskV1 {
  const sizes: Record<TaskSplitV1, number> = { train: options.trainSize, validation: options.validationSize, test: options.testSize };
  return {
    specificationVersion: 'v1',
    id: 'synthetic',
    description: `write as many "${options.target}" as possible after a prompt of random letters`,
    splits: { train: `generated[:${sizes.train}]`, validation: `generated[:${sizes.validation}]`, test: `generated[:${sizes.test}]` },
    generation: { maxNewTokens: options.generationLength, evalDecoding: { strategy: 'sample', temperature: 1, topK: 0, topP: 1 } },
    defaultReward: { id: 'target-share', options: { target: options.target } },
    defaultMetrics: [{ id: 'target-share', options: { target: options.target } }],
    async doLoadSamples({ split, limit }) {
      const count = Math.min(sizes[split], limit ?? sizes[split]);
      return Array.from({ length: count }, (_, i) => sample(options, split, i));
    },
  };
}

export const syntheticTaskFactory: ComponentFactoryV1<'task', SyntheticTaskOptions> = {
  specificationVersion: 'v1',
  kind: 'task',
  id: 'synthetic',
  description: 'synthetic: write a target letter after random letters (for testing algorithms in seconds)',
  optionsSchema: syntheticTaskOptions,
  create: async (options) => createSyntheticTask(options),
};
