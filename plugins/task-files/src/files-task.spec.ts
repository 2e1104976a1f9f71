import type { HubFilesV1 } from '@rlgf/contracts';
import { createComponent, createComponentContext, createRunContainer, registerPlugins, silentLogger } from '@rlgf/core';
import { describeTaskContract } from '@rlgf/testing';
import { tmpdir } from 'node:os';
import { defaultSplitSpecs } from './files-task';
import { plugin } from './index';

const noHub: HubFilesV1 = { resolveFile: async () => Promise.reject(new Error('no hub')), listFiles: async () => [] };

function createTask(options: Record<string, unknown>) {
  const container = createRunContainer();
  registerPlugins(container, [{ plugin }], { logger: silentLogger });
  const context = createComponentContext({ container, hub: noHub, logger: silentLogger, seed: 0, cacheDir: tmpdir(), workingDirectory: __dirname });
  return createComponent(context, 'task', { id: 'files', options });
}

describe('the files task', () => {
  it('maps columns of a JSON Lines file: a prompt template, references, the rest as meta', async () => {
    const task = await createTask({ data: './__fixtures__/sums.jsonl', template: 'Q: {question}\nA:', references: 'answer', maxNewTokens: 4 });
    expect(task.splits).toEqual({ train: 'train[:90%]', validation: 'train[90%:]', test: 'train[90%:]' });
    expect(task.generation).toEqual({ maxNewTokens: 4, minNewTokens: 0, maxPromptTokens: undefined, evalDecoding: { strategy: 'greedy' } });
    const train = await task.doLoadSamples({ split: 'train' });
    expect(train).toHaveLength(18);
    expect(train[1]).toEqual({ id: 'train[:90%]#1', prompt: 'Q: What is 1 plus 1?\nA:', references: ['2'], meta: { question: 'What is 1 plus 1?', level: 1 } });
    expect((await task.doLoadSamples({ split: 'validation', limit: 1 })).map((s) => s.references)).toEqual([['36']]);
  });

  it('reads CSV with the default columns (prompt, reference) and the recipe\'s split specs', async () => {
    const task = await createTask({ data: { train: './__fixtures__/prompts.csv' }, splits: { train: 'train[1:]', validation: 'train[:1]', test: 'train[-1:]' } });
    const [first] = await task.doLoadSamples({ split: 'validation' });
    expect(first).toMatchObject({ prompt: 'Hello, who are you?', references: ['I am a model.'], meta: {} });
    expect((await task.doLoadSamples({ split: 'train' })).map((s) => s.prompt)).toEqual(['Tell a story', 'Count']);
  });

  it('names a missing column with the columns there are, and refuses data and dataset together', async () => {
    const task = await createTask({ data: './__fixtures__/sums.jsonl' });
    await expect(task.doLoadSamples({ split: 'train', limit: 1 })).rejects.toThrow(
      /has no column "prompt" \(the prompt\); its columns: question, answer, level/,
    );
    await expect(createTask({ data: './x.jsonl', dataset: 'a/b' })).rejects.toThrow('task.options: expected exactly one of `data` (local files) and `dataset` (a Hub repository)');
    await expect(createTask({ data: './__fixtures__/sums.jsonl', splits: { tain: 'train' } })).rejects.toThrow('task.options.splits.tain: expected one of the options at this level: train, validation, test (did you mean "train"?)');
  });

  it('defaults splits to the data\'s own train, validation and test', () => {
    expect(defaultSplitSpecs(['train', 'validation', 'test'], {})).toEqual({ train: 'train', validation: 'validation', test: 'test' });
    expect(defaultSplitSpecs(['train', 'test'], { validation: 'test[:10]' })).toEqual({ train: 'train[:90%]', validation: 'test[:10]', test: 'test' });
  });

  describeTaskContract('files', () => createTask({ data: './__fixtures__/sums.jsonl', prompt: 'question', references: ['answer'] }));
});
