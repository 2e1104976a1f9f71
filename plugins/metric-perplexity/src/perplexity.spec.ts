import { POLICY_MODEL, type HubFilesV1, type LanguageModelV1 } from '@rlgf/contracts';
import { createComponentContext, createComponentWith, createRunContainer, registerValue, silentLogger } from '@rlgf/core';
import { createHubFiles, hubSettingsFromEnv } from '@rlgf/hub';
import { loadLanguageModel, resolveModelReference, setBackend, type TrainableLanguageModel } from '@rlgf/models';
import { describeMetricContract, sharedHubMirror } from '@rlgf/testing';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { continuationPerplexity } from './perplexity';
import { outputPerplexity, policyPerplexity } from './plugin';

const hub: HubFilesV1 = createHubFiles({ ...hubSettingsFromEnv({}), mirrorDir: sharedHubMirror() });
const stories = 'karpathy/tinyllamas/stories260K';
let cacheDir: string;
let policy: TrainableLanguageModel;

const items = [
  { prompt: 'Once upon a time, there was a little girl named Lily.', prediction: ' She liked to play outside with her dog.', references: [' She loved to play in the park with her friends.'] },
  { prompt: 'Tom had a red ball.', prediction: ' zqx vvk plmf rrt.', references: [' He threw the ball to his friend.'] },
];

function context() {
  const container = createRunContainer();
  registerValue(container, POLICY_MODEL, policy);
  return createComponentContext({ container, hub, logger: silentLogger, seed: 0, cacheDir });
}

beforeAll(async () => {
  await setBackend('wasm');
  cacheDir = await mkdtemp(join(tmpdir(), 'rlgf-ppl-'));
  policy = await loadLanguageModel(await resolveModelReference({ source: stories }, { hub, cacheDir }), { hub, trainable: false });
});
afterAll(() => policy.dispose());

describeMetricContract('perplexity', () => createComponentWith(context(), policyPerplexity, {}), { items });
describeMetricContract('output-perplexity', () => createComponentWith(context(), outputPerplexity, { model: stories }), { items });

describe('perplexity metrics', () => {
  it('equal exp(-mean log-prob) of the continuation tokens, token-weighted over the corpus', async () => {
    const metric = await createComponentWith(context(), outputPerplexity, { model: stories, batchSize: 1 });
    const result = await metric.doCompute({ items, perItem: true });
    const expected = await Promise.all(
      items.map(async (item) => {
        const promptIds = policy.tokenizer.encode(item.prompt);
        const whole = policy.tokenizer.encode(item.prompt + item.prediction);
        const ids = whole.slice(promptIds.length);
        const [logProbs] = await policy.scoreTokens([promptIds], [ids]);
        return { sum: logProbs.reduce((a, b) => a + b, 0), count: ids.length };
      }),
    );
    expected.forEach((e, i) => expect(result.perItem?.['output-perplexity'][i]).toBeCloseTo(Math.exp(-e.sum / e.count), 3));
    const corpus = Math.exp(-(expected[0].sum + expected[1].sum) / (expected[0].count + expected[1].count));
    expect(result.corpus['output-perplexity']).toBeCloseTo(corpus, 3);
    // A story sentence is far more likely under a model of stories than letter salad.
    expect(result.perItem?.['output-perplexity'][0]).toBeLessThan(20);
    expect(result.perItem?.['output-perplexity'][1]).toBeGreaterThan(100);
    await metric.close?.();
  });

  it('scores the policy on the first reference', async () => {
    const metric = await createComponentWith(context(), policyPerplexity, {});
    const result = await metric.doCompute({ items: [items[0]] });
    expect(result.corpus.perplexity).toBeGreaterThan(1);
    expect(result.corpus.perplexity).toBeLessThan(20);
  });

  it('scores with the policy the evaluation hands over, rather than the one registered', async () => {
    const metric = await createComponentWith(context(), policyPerplexity, {});
    const asked: number[] = [];
    const handed: LanguageModelV1 = {
      specificationVersion: 'v1',
      info: policy.info,
      tokenizer: policy.tokenizer,
      generate: (request) => policy.generate(request),
      scoreTokens: (promptIds, targetIds) => {
        asked.push(promptIds.length);
        return policy.scoreTokens(promptIds, targetIds);
      },
      dispose: () => undefined,
    };
    const result = await metric.doCompute({ items, policy: handed });
    expect(asked).toEqual([2]);
    expect(result.corpus.perplexity).toBe((await metric.doCompute({ items })).corpus.perplexity);
  });

  it('explains what is missing', async () => {
    const bare = createComponentContext({ container: createRunContainer(), hub, logger: silentLogger, seed: 0, cacheDir });
    const metric = await createComponentWith(bare, policyPerplexity, {});
    await expect(metric.doCompute({ items })).rejects.toThrow(/a run with a policy/);
    await expect(createComponentWith(bare, outputPerplexity, {})).rejects.toThrow('metric.options.model: expected string (required)');
    await expect(createComponentWith(bare, outputPerplexity, { model: stories, batchSize: 1.5 })).rejects.toThrow('metric.options.batchSize: got 1.5, expected int');
    await expect(createComponentWith(bare, policyPerplexity, { batchSize: 0 })).rejects.toThrow('metric.options.batchSize: got 0, expected >= 1');
    await expect(createComponentWith(bare, policyPerplexity, { model: stories })).rejects.toThrow('metric.options.model: expected one of the options at this level: batchSize');
  });
});

describe('continuationPerplexity', () => {
  it('keeps three batches in flight, for a policy that scores on two threads, with the same values', async () => {
    const texts = [' He ran.', ' The sun was hot.', ' Mom said no.', ' They went home.', ' A cat sat.', ' It rained all day.', ' The end.'];
    const varied = texts.map((text) => ({ prompt: 'Tom had a red ball.', prediction: text, references: [] }));
    let inFlight = 0;
    let mostInFlight = 0;
    const twoThreads: LanguageModelV1 = {
      specificationVersion: 'v1',
      info: policy.info,
      tokenizer: policy.tokenizer,
      generate: (request) => policy.generate(request),
      async scoreTokens(promptIds, targetIds) {
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        // As a copy on another thread answers: by message, after a turn of the event loop.
        await new Promise<void>((resolve) => setImmediate(resolve));
        const scores = await policy.scoreTokens(promptIds, targetIds);
        inFlight--;
        return scores;
      },
      dispose: () => undefined,
    };
    const shared = await continuationPerplexity(twoThreads, varied, (item) => item.prediction, 2);
    expect(mostInFlight).toBe(3);
    expect(shared).toEqual(await continuationPerplexity(policy, varied, (item) => item.prediction, 2));
  });

  it('gives every item its own value whatever the batch size (batches are formed by length, not order)', async () => {
    const texts = [' He ran.', ' She loved to play in the park with her friends and her big brown dog every single day.', '', ' The sun was hot.', ' Once there was a cat who liked fish, milk and long naps in the warm sun by the window.', ' Mom said no.', ' They went home and had a nice dinner together.'];
    const varied = texts.map((text, i) => ({ prompt: i % 2 === 0 ? 'Tom had a red ball.' : 'Once upon a time, there was a little girl named Lily.', prediction: text, references: [] }));
    const oneByOne = await continuationPerplexity(policy, varied, (item) => item.prediction, 1);
    expect(oneByOne.perItem[2]).toBeNaN();
    expect(oneByOne.perItem.filter((value) => !Number.isNaN(value))).toHaveLength(6);
    // Padding changes the float32 rounding of a row's products in the last bits, nothing more.
    const close = (a: number, b: number) => Math.abs(a - b) <= 1e-5 * Math.abs(b);
    for (const batchSize of [2, 3, 16]) {
      const batched = await continuationPerplexity(policy, varied, (item) => item.prediction, batchSize);
      expect(batched.tokens).toBe(oneByOne.tokens);
      expect(close(batched.corpus, oneByOne.corpus)).toBe(true);
      batched.perItem.forEach((value, i) => expect(Number.isNaN(value) ? Number.isNaN(oneByOne.perItem[i]) : close(value, oneByOne.perItem[i])).toBe(true));
    }
  });
});
