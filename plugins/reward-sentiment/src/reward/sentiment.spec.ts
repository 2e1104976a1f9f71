import { InvalidArgumentError, ModelFormatError, type ComponentKindsV1, type ComponentKindV1, type HubFilesV1, type RewardSampleV1 } from '@rlgf/contracts';
import { createComponentContext, createRunContainer, registerPlugins, silentLogger } from '@rlgf/core';
import { createHubFiles, hubSettingsFromEnv } from '@rlgf/hub';
import { setBackend } from '@rlgf/models';
import { describeMetricContract, describeRewardContract, rejectionOf, sharedHubMirror } from '@rlgf/testing';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import golden from '../distilbert/__fixtures__/tiny-distilbert-golden.json';
import { writeTinyDistilBert } from '../distilbert/__fixtures__/tiny-distilbert';
import { loadSentimentClassifier } from '../classifier/load-classifier';
import { plugin } from '../plugin';

const hub: HubFilesV1 = createHubFiles({ ...hubSettingsFromEnv(), mirrorDir: sharedHubMirror(), offline: true });
let scratch = '';
const ngramDir = () => join(scratch, 'ngram');
const distilbertDir = () => join(scratch, 'distilbert');

/** A component as a run creates it: through the plugin's factories in a run container. */
async function create<K extends ComponentKindV1>(kind: K, id: string, options: Record<string, unknown>): Promise<ComponentKindsV1[K]> {
  const container = createRunContainer();
  registerPlugins(container, [{ plugin }], { logger: silentLogger });
  const context = createComponentContext({ container, hub, logger: silentLogger, seed: 0, cacheDir: scratch });
  return context.createComponent(kind, { id, options });
}

beforeAll(async () => {
  await setBackend('wasm');
  scratch = await mkdtemp(join(tmpdir(), 'rlgf-sentiment-'));
  await writeTinyDistilBert(distilbertDir());
  const trainer = await create('reward-trainer', 'imdb-sentiment', {});
  await trainer.doTrain({ outDir: ngramDir(), settings: { trainSize: 1000, evalSize: 10, buckets: 16384, learningRate: 0.01 }, seed: 0, hub, logger: silentLogger });
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

const samples: RewardSampleV1[] = [
  { prompt: 'I rented this on a whim and', generation: ' it was a wonderful, moving film. Great acting and a lovely score!', references: [] },
  { prompt: 'I rented this on a whim and', generation: ' it was the worst, most boring film I have seen. Awful acting, a waste of time.', references: [] },
  { prompt: 'The plot', generation: ' is thin, but the lead is charming.', references: ['is thin.'] },
];

describeRewardContract('sentiment with the n-gram classifier of train-reward', () => create('reward', 'sentiment', { model: ngramDir() }), { samples });
describeRewardContract('sentiment with a DistilBERT checkpoint', () => create('reward', 'sentiment', { model: distilbertDir() }), { samples });
describeMetricContract('sentiment metric', () => create('metric', 'sentiment', { model: ngramDir() }), {
  items: samples.map((sample) => ({ prompt: sample.prompt, prediction: sample.generation, references: sample.references })),
});

describe('sentiment reward', () => {
  it('scores prompt + generation with a DistilBERT checkpoint as PyTorch does', async () => {
    const reward = await create('reward', 'sentiment', { model: distilbertDir(), batchSize: 3 });
    const split = golden.items.map((item) => {
      const cut = Math.floor(item.text.length / 2);
      return { prompt: item.text.slice(0, cut), generation: item.text.slice(cut), references: [] };
    });
    const { scores, warnings } = await reward.doScore({ samples: split });
    scores.forEach((score, i) => expect(score).toBeCloseTo(golden.items[i].positive_probability, 5));
    expect(warnings).toEqual([]);
    await reward.close?.();
  });

  it('rewards a positive continuation above a negative one with the trained n-gram classifier', async () => {
    const reward = await create('reward', 'sentiment', { model: ngramDir() });
    const [positive, negative] = (await reward.doScore({ samples })).scores;
    expect(positive).toBeGreaterThan(0.5);
    expect(negative).toBeLessThan(0.5);
  });

  it('scores the generation alone with includePrompt false, and the negative class when asked', async () => {
    const classifier = await loadSentimentClassifier(ngramDir(), { batchSize: 1 });
    const generations = samples.map((sample) => sample.generation);
    const alone = await create('reward', 'sentiment', { model: ngramDir(), includePrompt: false });
    expect((await alone.doScore({ samples })).scores).toEqual(await classifier.positiveProbabilities(generations));
    const negative = await create('reward', 'sentiment', { model: ngramDir(), includePrompt: false, label: 'negative' });
    const expected = (await classifier.positiveProbabilities(generations)).map((p) => 1 - p);
    expect((await negative.doScore({ samples })).scores).toEqual(expected);
  });

  it('warns that batchSize does nothing for the n-gram classifier', async () => {
    const reward = await create('reward', 'sentiment', { model: ngramDir(), batchSize: 8 });
    expect((await reward.doScore({ samples })).warnings.map((warning) => warning.field)).toEqual(['batchSize']);
  });

  it('refuses unknown options, a checkpoint of another kind and a missing directory', async () => {
    const unknown = await rejectionOf(create('reward', 'sentiment', { modle: ngramDir() }));
    expect(InvalidArgumentError.isInstance(unknown)).toBe(true);
    expect(String(unknown)).toContain('reward.options.modle: expected one of the options at this level: model, includePrompt, label, batchSize (did you mean "model"?)');
    expect(String(await rejectionOf(create('metric', 'sentiment', { label: -1 })))).toContain('metric.options.label: got -1, expected >= 0');
    expect(String(await rejectionOf(create('metric', 'sentiment', { batchSize: 0 })))).toContain('metric.options.batchSize: got 0, expected >= 1');

    const other = join(scratch, 'gpt2');
    await mkdir(other, { recursive: true });
    await writeFile(join(other, 'config.json'), JSON.stringify({ model_type: 'gpt2' }));
    const wrongKind = await rejectionOf(create('reward', 'sentiment', { model: other }));
    expect(ModelFormatError.isInstance(wrongKind)).toBe(true);
    expect(String(wrongKind)).toContain('model_type "gpt2" is not a sentiment classifier');

    const missing = await rejectionOf(create('reward', 'sentiment', { model: join(scratch, 'nowhere') }));
    expect(ModelFormatError.isInstance(missing)).toBe(true);
  });
});

describe('sentiment metric', () => {
  it('averages P(positive) over the items and returns it per item when asked', async () => {
    const metric = await create('metric', 'sentiment', { model: distilbertDir() });
    const items = golden.items.slice(0, 4).map((item) => ({ prompt: '', prediction: item.text, references: [] }));
    const result = await metric.doCompute({ items, perItem: true });
    const expected = golden.items.slice(0, 4).map((item) => item.positive_probability);
    expect(result.corpus.sentiment).toBeCloseTo(expected.reduce((a, b) => a + b, 0) / 4, 5);
    result.perItem?.sentiment.forEach((score, i) => expect(score).toBeCloseTo(expected[i], 5));
    expect(metric.higherIsBetter).toBe(true);
    await metric.close?.();
  });

  it('warns when items have no prompt to score with the prediction', async () => {
    const metric = await create('metric', 'sentiment', { model: ngramDir() });
    const result = await metric.doCompute({ items: [{ prediction: 'great', references: [] }] });
    expect(result.warnings.map((warning) => warning.type)).toEqual(['missing-prompt']);
  });
});
