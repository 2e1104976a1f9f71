import { InvalidArgumentError, type HubFilesV1, type TaskSampleV1, type TaskV1, type TokenizerV1 } from '@rlgf/contracts';
import { createComponentContext, createRunContainer, registerPlugins, silentLogger } from '@rlgf/core';
import { openHubDataset } from '@rlgf/datasets';
import { createHubFiles, hubSettingsFromEnv } from '@rlgf/hub';
import { describeTaskContract, rejectionOf, sharedHubMirror } from '@rlgf/testing';
import { tmpdir } from 'node:os';
import { gpt2Tokenizer, storiesTokenizer } from './__fixtures__/policy-tokenizers';
import { cleanReview } from './clean-review';
import { plugin } from './plugin';
import { splitRows } from './split-plan';

const hub: HubFilesV1 = createHubFiles({ ...hubSettingsFromEnv(), mirrorDir: sharedHubMirror(), offline: true });

/** The task as a run creates it: through the plugin's factory in a run container. */
async function createTask(options: Record<string, unknown> = {}): Promise<TaskV1> {
  const container = createRunContainer();
  registerPlugins(container, [{ plugin }], { logger: silentLogger });
  const context = createComponentContext({ container, hub, logger: silentLogger, seed: 0, cacheDir: tmpdir() });
  return context.createComponent('task', { id: 'imdb', options });
}

let stories: TokenizerV1;
let gpt2: TokenizerV1;
beforeAll(async () => {
  [stories, gpt2] = await Promise.all([storiesTokenizer(), gpt2Tokenizer()]);
});

describeTaskContract('imdb with the stories260K tokenizer', () => createTask(), {
  get tokenizer() {
    return stories;
  },
});
describeTaskContract('imdb with the GPT-2 tokenizer', () => createTask({ lineBreaks: 'space' }), {
  get tokenizer() {
    return gpt2;
  },
  splits: ['test'],
});

describe('imdb task on stanfordnlp/imdb', () => {
  let task: TaskV1;
  let validation: TaskSampleV1[];
  let trainRows: { text: string; label: number }[];
  beforeAll(async () => {
    task = await createTask();
    validation = await task.doLoadSamples({ split: 'validation', tokenizer: stories });
    const dataset = await openHubDataset(hub, { repo: 'stanfordnlp/imdb' });
    trainRows = (await dataset.readRows('train', { columns: ['text', 'label'] })) as { text: string; label: number }[];
  });

  it('splits 20,000 / 5,000 / 25,000 reviews: 80/20 of the shuffled train split, all of test', () => {
    expect(validation).toHaveLength(5_000);
    const datasetRows = { train: trainRows.length, test: 25_000 };
    expect(splitRows('train', { datasetRows, splitSeed: 0, caps: {} }).rows).toHaveLength(20_000);
    expect(splitRows('test', { datasetRows, splitSeed: 0, caps: {} }).rows).toHaveLength(25_000);
    expect(task.splits).toEqual({ train: 'train.shuffle(seed=0)[:80%]', validation: 'train.shuffle(seed=0)[80%:]', test: 'test.shuffle(seed=0)' });
  });

  it('balances the labels of validation (the dataset is sorted by label)', () => {
    const positives = validation.filter((sample) => sample.meta?.label === 1).length;
    expect(positives / validation.length).toBeGreaterThan(0.47);
    expect(positives / validation.length).toBeLessThan(0.53);
    expect(validation.slice(0, 40).some((s) => s.meta?.label === 0) && validation.slice(0, 40).some((s) => s.meta?.label === 1)).toBe(true);
  });

  it('cuts every prompt after BOS + 64 policy tokens and keeps the rest of the cleaned review as reference', () => {
    for (const sample of validation) {
      const row = trainRows[sample.meta?.datasetRow as number];
      const cleaned = cleanReview(row.text);
      expect(sample.prompt + sample.references[0]).toBe(cleaned);
      expect(sample.meta?.label).toBe(row.label);
    }
    const full = validation.filter((sample) => sample.references[0] !== '');
    expect(full.length).toBeGreaterThan(4_990);
    for (const sample of full.slice(0, 200)) {
      expect(sample.promptIds).toHaveLength(65);
      expect(stories.encode(sample.prompt + sample.references[0]).slice(0, 65)).toEqual(sample.promptIds);
    }
  });

  it('cleans <br /> tags into line breaks', () => {
    const withTags = validation.filter((sample) => trainRows[sample.meta?.datasetRow as number].text.includes('<br /><br />'));
    expect(withTags.length).toBeGreaterThan(1_000);
    for (const sample of withTags) expect(`${sample.prompt}${sample.references[0]}`).not.toMatch(/<br|\n\n\n/);
    expect(withTags.some((sample) => sample.references[0].includes('\n\n'))).toBe(true);
  });

  it('gives the first samples of the same order whatever the limit or cap, and another order for another seed', async () => {
    const first = await task.doLoadSamples({ split: 'validation', tokenizer: stories, limit: 20 });
    expect(first).toEqual(validation.slice(0, 20));
    const capped = await (await createTask({ validationSize: 7 })).doLoadSamples({ split: 'validation', tokenizer: stories });
    expect(capped).toEqual(validation.slice(0, 7));
    const reseeded = await (await createTask({ splitSeed: 1 })).doLoadSamples({ split: 'validation', tokenizer: stories, limit: 20 });
    expect(reseeded.map((s) => s.id)).not.toEqual(first.map((s) => s.id));
  });

  it('keeps only the labels asked for, in the same order', async () => {
    const positive = await (await createTask({ labels: [1] })).doLoadSamples({ split: 'validation', tokenizer: stories, limit: 30 });
    expect(positive).toHaveLength(30);
    expect(positive.every((sample) => sample.meta?.label === 1)).toBe(true);
    expect(positive.map((s) => s.id)).toEqual(validation.filter((s) => s.meta?.label === 1).slice(0, 30).map((s) => s.id));
    expect(positive.every((s) => trainRows[Number(s.meta?.datasetRow)].label === 1)).toBe(true);
    await expect(createTask({ labels: [2] })).rejects.toThrow('task.options.labels.0: got 2, expected one of 0, 1');
    await expect(createTask({ labels: [] })).rejects.toThrow('task.options.labels: got [], expected at least 1 entries');
  });

  it('draws train and validation from disjoint rows of the dataset train split', async () => {
    const train = await task.doLoadSamples({ split: 'train', tokenizer: stories, limit: 300 });
    const validationIds = new Set(validation.map((sample) => sample.id));
    expect(train.every((sample) => sample.id.startsWith('train-') && !validationIds.has(sample.id))).toBe(true);
  });

  it('declares the authors\' generation settings, reward and metrics', () => {
    expect(task.generation).toEqual({ maxNewTokens: 48, minNewTokens: 48, maxPromptTokens: 64, evalDecoding: { strategy: 'sample', topK: 50 } });
    expect(task.defaultReward).toEqual({ id: 'sentiment' });
    expect(task.defaultMetrics.map((metric) => metric.id)).toEqual(['sentiment', 'diversity']);
  });
});

describe('imdb task errors', () => {
  it('needs the policy tokenizer to cut prompts', async () => {
    const task = await createTask();
    const error = await rejectionOf(task.doLoadSamples({ split: 'test', limit: 2 }));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(String(error)).toContain('the policy tokenizer');
  });

  it.each([
    [{ promptTokens: 0 }, 'task.options.promptTokens'],
    [{ trainSize: 2.5 }, 'task.options.trainSize'],
    [{ lineBreaks: 'html' }, 'task.options.lineBreaks'],
    [{ promptTokenz: 32 }, 'task.options.promptTokenz: expected one of the options at this level: promptTokens, splitSeed, trainSize, validationSize, testSize, labels, lineBreaks (did you mean "promptTokens"?)'],
  ])('refuses options %j, naming %s', async (options, field) => {
    const error = await rejectionOf(createTask(options));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(String(error)).toContain(field);
  });

  it('cuts GPT-2 prompts at the 64th token of the whole review (no BOS)', async () => {
    const samples = await (await createTask()).doLoadSamples({ split: 'test', tokenizer: gpt2, limit: 200 });
    for (const sample of samples) {
      const review = sample.prompt + sample.references[0];
      expect(sample.promptIds).toEqual(gpt2.encode(review).slice(0, sample.promptIds?.length));
      if (sample.references[0] !== '' && /^[ -~\n]*$/.test(sample.prompt)) expect(sample.promptIds).toHaveLength(64);
    }
  });

  it('cuts prompts of another length and renders breaks as spaces when asked', async () => {
    const task = await createTask({ promptTokens: 16, lineBreaks: 'space' });
    const samples = await task.doLoadSamples({ split: 'test', tokenizer: gpt2, limit: 30 });
    expect(task.generation.maxPromptTokens).toBe(16);
    for (const sample of samples) {
      expect(sample.promptIds).toHaveLength(16);
      expect(`${sample.prompt}${sample.references[0]}`).not.toMatch(/\n|<br/);
    }
  });
});
