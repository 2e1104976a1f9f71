import { InvalidArgumentError, type ComponentFactoryV1, type TaskSampleV1 } from '@rlgf/contracts';
import { definePlugin } from '@rlgf/core';

// A task that lives outside the repository's packages: "count on from n". It proves a new task
// is a plugin a recipe names, with no edit to core or to the CLI.
function countingSamples(offset: number, count: number, step: number): TaskSampleV1[] {
  return Array.from({ length: count }, (_, i) => {
    const start = offset + i;
    const prompt = [start, start + step, start + 2 * step].join(' ');
    return { id: String(start), prompt, references: [[start + 3 * step, start + 4 * step].join(' ')] };
  });
}

const countingTask: ComponentFactoryV1<'task'> = {
  specificationVersion: 'v1',
  kind: 'task',
  id: 'counting',
  description: 'continue an arithmetic sequence of numbers (test fixture)',
  options: { step: 'difference between consecutive numbers (default 1)' },
  async create(options) {
    const step = options.step ?? 1;
    if (typeof step !== 'number' || !Number.isInteger(step) || step < 1) {
      throw new InvalidArgumentError({ argument: 'task.options.step', value: step, expected: 'a positive integer' });
    }
    const offsets = { train: 0, validation: 1000, test: 2000 } as const;
    return {
      specificationVersion: 'v1',
      id: 'counting',
      description: 'continue an arithmetic sequence of numbers',
      splits: { train: 'generated[:1000]', validation: 'generated[1000:1100]', test: 'generated[2000:2100]' },
      generation: { maxNewTokens: 8, evalDecoding: { strategy: 'greedy' } },
      defaultReward: { id: 'exact-match' },
      defaultMetrics: [{ id: 'bleu' }],
      async doLoadSamples({ split, limit }) {
        const size = split === 'train' ? 1000 : 100;
        return countingSamples(offsets[split], Math.min(size, limit ?? size), step);
      },
    };
  },
};

export const plugin = definePlugin({
  id: 'rlgf-task-counting-fixture',
  version: '1.0.0',
  kind: 'task',
  description: 'a task plugin kept in a fixture folder',
  factories: [countingTask],
});
