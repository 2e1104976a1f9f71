import type { TaskSplitV1, TaskV1, TokenizerV1 } from '@rlgf/contracts';

export interface TaskContractOptions {
  /** The policy tokenizer handed to `doLoadSamples` (tasks that cut prompts in tokens need one). */
  readonly tokenizer?: TokenizerV1;
  /** Splits to load in the suite (default all three); keep `limit` small for speed. */
  readonly splits?: readonly TaskSplitV1[];
  readonly limit?: number;
}

/**
 * The behaviour every task plugin promises. Call it from the plugin's spec with a function that
 * creates the task as a user would (through its factory).
 */
export function describeTaskContract(name: string, createTask: () => Promise<TaskV1>, options: TaskContractOptions = {}): void {
  const splits = options.splits ?? ['train', 'validation', 'test'];
  const limit = options.limit ?? 5;

  describe(`task contract: ${name}`, () => {
    let task: TaskV1;
    beforeAll(async () => {
      task = await createTask();
    });

    it('declares version, id, splits, generation defaults, reward and metrics', () => {
      expect(task.specificationVersion).toBe('v1');
      expect(task.id).toMatch(/^[a-z0-9][a-z0-9-]*$/);
      expect(task.description.length).toBeGreaterThan(0);
      for (const split of ['train', 'validation', 'test'] as const) expect(typeof task.splits[split]).toBe('string');
      expect(Number.isInteger(task.generation.maxNewTokens) && task.generation.maxNewTokens > 0).toBe(true);
      expect(['greedy', 'sample', 'beam']).toContain(task.generation.evalDecoding.strategy);
      expect(task.defaultReward.id.length).toBeGreaterThan(0);
      expect(Array.isArray(task.defaultMetrics)).toBe(true);
    });

    it.each(splits.map((split) => [split]))('loads well-formed, uniquely identified %s samples within the limit', async (split) => {
      const samples = await task.doLoadSamples({ split, tokenizer: options.tokenizer, limit });
      expect(samples.length).toBeGreaterThan(0);
      expect(samples.length).toBeLessThanOrEqual(limit);
      expect(new Set(samples.map((s) => s.id)).size).toBe(samples.length);
      for (const sample of samples) {
        expect(typeof sample.id).toBe('string');
        expect(typeof sample.prompt).toBe('string');
        expect(sample.prompt.length).toBeGreaterThan(0);
        expect(Array.isArray(sample.references)).toBe(true);
        for (const reference of sample.references) expect(typeof reference).toBe('string');
        if (sample.promptIds !== undefined) {
          expect(sample.promptIds.length).toBeGreaterThan(0);
          for (const id of sample.promptIds) expect(Number.isInteger(id) && id >= 0).toBe(true);
          if (task.generation.maxPromptTokens !== undefined) {
            expect(sample.promptIds.length).toBeLessThanOrEqual(task.generation.maxPromptTokens + 1);
          }
        }
      }
    });

    it('loads the same samples in the same order every time', async () => {
      const first = await task.doLoadSamples({ split: splits[0], tokenizer: options.tokenizer, limit });
      const second = await task.doLoadSamples({ split: splits[0], tokenizer: options.tokenizer, limit });
      expect(second).toEqual(first);
    });
  });
}
