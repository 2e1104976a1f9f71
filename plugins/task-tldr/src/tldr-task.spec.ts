import { InvalidArgumentError, type TaskSampleV1, type TaskV1, type TokenizerV1 } from '@rlgf/contracts';
import { createComponentContext, createRunContainer, registerPlugins, silentLogger } from '@rlgf/core';
import { openHubDataset } from '@rlgf/datasets';
import { describeTaskContract, rejectionOf } from '@rlgf/testing';
import { tmpdir } from 'node:os';
import { gpt2Tokenizer, mirrorHub, storiesTokenizer } from './__fixtures__/policy-tokenizers';
import { plugin } from './plugin';
import { splitTldrPrompt } from './tldr-prompt';

/** The task as a run creates it: through the plugin's factory in a run container. */
async function createTask(options: Record<string, unknown> = {}): Promise<TaskV1> {
  const container = createRunContainer();
  registerPlugins(container, [{ plugin }], { logger: silentLogger });
  const context = createComponentContext({ container, hub: mirrorHub, logger: silentLogger, seed: 0, cacheDir: tmpdir() });
  return context.createComponent('task', { id: 'tldr', options });
}

let stories: TokenizerV1;
let gpt2: TokenizerV1;
let rows: { prompt: string; label: string }[];
beforeAll(async () => {
  [stories, gpt2] = await Promise.all([storiesTokenizer(), gpt2Tokenizer()]);
  const dataset = await openHubDataset(mirrorHub, { repo: 'CarperAI/openai_summarize_tldr' });
  rows = (await dataset.readRows('test')) as { prompt: string; label: string }[];
});

describeTaskContract('tldr with the stories260K tokenizer', () => createTask(), {
  get tokenizer() {
    return stories;
  },
});
describeTaskContract('tldr with the GPT-2 tokenizer', () => createTask({ maxPromptTokens: 256 }), {
  get tokenizer() {
    return gpt2;
  },
  splits: ['validation'],
});

describe('tldr task on CarperAI/openai_summarize_tldr', () => {
  let task: TaskV1;
  let validation: TaskSampleV1[];
  beforeAll(async () => {
    task = await createTask();
    validation = await task.doLoadSamples({ split: 'validation', tokenizer: stories });
  });

  it('cuts the 500 posts 400 / 50 / 50 by default, in dataset order', async () => {
    expect(task.splits).toEqual({ train: 'test[:400]', validation: 'test[400:450]', test: 'test[450:]' });
    expect(validation.map((s) => s.id)).toEqual(Array.from({ length: 50 }, (_, i) => `test-${400 + i}`));
    const test = await task.doLoadSamples({ split: 'test', tokenizer: stories, limit: 3 });
    expect(test.map((s) => s.id)).toEqual(['test-450', 'test-451', 'test-452']);
  });

  it('keeps the header and suffix of every prompt within 400 stories260K tokens after BOS, the label as reference', () => {
    let cut = 0;
    for (const sample of validation) {
      const row = rows[sample.meta?.datasetRow as number];
      const original = splitTldrPrompt(row.prompt);
      const kept = splitTldrPrompt(sample.prompt);
      expect(kept.header).toBe(original.header);
      expect(kept.suffix).toBe('\nTL;DR:');
      expect(original.body.endsWith(kept.body)).toBe(true);
      expect(sample.promptIds?.[0]).toBe(1);
      expect(sample.promptIds?.length).toBeLessThanOrEqual(401);
      expect(sample.promptIds).toEqual(stories.encode(sample.prompt));
      expect(sample.references).toEqual([` ${row.label.trim()}`]);
      expect(sample.meta).toMatchObject({ sourcePrompt: row.prompt, datasetSplit: 'test' });
      expect(String(sample.meta?.title).length).toBeGreaterThan(0);
      if ((sample.meta?.droppedCharacters as number) > 0) cut += 1;
    }
    // Posts take 351 to 1362 stories260K tokens: most lose their start.
    expect(cut).toBeGreaterThan(25);
  });

  it('declares 50 new tokens, greedy evaluation, the reward model as reward and its metrics', () => {
    expect(task.generation).toEqual({ maxNewTokens: 50, maxPromptTokens: 400, evalDecoding: { strategy: 'greedy' } });
    expect(task.defaultReward).toEqual({ id: 'reward-model', options: { model: 'runs/rewards/tldr-reward-model' } });
    expect(task.defaultMetrics.map((m) => m.id)).toEqual(['reward-model', 'rouge', 'diversity', 'perplexity']);
  });

  it('reads other split specs, prompt budgets and reward models from its options', async () => {
    const custom = await createTask({ trainSplit: 'test[:10]', validationSplit: 'test[-5:]', maxPromptTokens: 180, rewardModel: './rm' });
    const samples = await custom.doLoadSamples({ split: 'validation', tokenizer: gpt2 });
    expect(samples.map((s) => s.id)).toEqual(['test-495', 'test-496', 'test-497', 'test-498', 'test-499']);
    for (const sample of samples) expect(sample.promptIds?.length).toBeLessThanOrEqual(180);
    expect((await custom.doLoadSamples({ split: 'train', tokenizer: gpt2 })).length).toBe(10);
    expect(custom.defaultReward.options).toEqual({ model: './rm' });
  });
});

describe('tldr task errors', () => {
  it('needs the policy tokenizer to cut prompts', async () => {
    const error = await rejectionOf((await createTask()).doLoadSamples({ split: 'test', limit: 2 }));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(String(error)).toContain('the policy tokenizer');
  });

  it.each([
    [{ maxPromptTokens: 0 }, 'task.options.maxPromptTokens: got 0, expected >= 1'],
    [{ trainSplit: 'test[:10%:]' }, 'task.options.trainSplit: got "test[:10%:]", expected a dataset split spec such as test[:400] or test[400:450] ('],
    [{ rewardModel: '' }, 'task.options.rewardModel: got "", expected >= 1 characters'],
    [{ maxPromptTokenz: 32 }, 'task.options.maxPromptTokenz: expected one of the options at this level: maxPromptTokens, trainSplit, validationSplit, testSplit, rewardModel (did you mean "maxPromptTokens"?)'],
  ])('refuses options %j, naming %s', async (options, field) => {
    const error = await rejectionOf(createTask(options));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(String(error)).toContain(field);
  });
});
