import { InvalidArgumentError, ModelFormatError, type ComponentKindV1, type ComponentKindsV1, type RewardSampleV1 } from '@rlgf/contracts';
import { createComponentContext, createRunContainer, listFactories, registerPlugins, silentLogger } from '@rlgf/core';
import { setBackend } from '@rlgf/models';
import { describeMetricContract, describeRewardContract, rejectionOf } from '@rlgf/testing';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { startRewardServer, type RewardServer } from '../__fixtures__/reward-server';
import { cacheDir, mirrorHub, storiesCheckpoint, tinyLlamaRewardModel } from '../__fixtures__/tiny-reward-models';
import { loadRewardModel } from '../model/load-reward-model';
import type { RewardModel } from '../model/reward-model';
import { plugin } from '../plugin';

const samples: RewardSampleV1[] = [
  { prompt: 'SUBREDDIT: r/a\nTITLE: One\nPOST: first post\nTL;DR:', generation: ' a summary', references: [' ref'] },
  { prompt: 'SUBREDDIT: r/b\nTITLE: Two\nPOST: second post, longer\nTL;DR:', generation: ' another summary here', references: [' ref'] },
  { prompt: 'SUBREDDIT: r/c\nTITLE: Three\nPOST: third\nTL;DR:', generation: '', references: [] },
];

let workDir: string;
let model: RewardModel;
let server: RewardServer;
beforeAll(async () => {
  await setBackend('wasm');
  workDir = await cacheDir();
  const stories = await storiesCheckpoint();
  const fresh = tinyLlamaRewardModel(stories, { seed: 4 });
  await fresh.save(join(workDir, 'rm'));
  fresh.dispose();
  model = await loadRewardModel(join(workDir, 'rm'));
  server = await startRewardServer((texts) => model.score(texts, { batchSize: 4 }));
});
afterAll(async () => {
  await server.close();
  model.dispose();
  await rm(workDir, { recursive: true, force: true });
});

function create<K extends ComponentKindV1>(kind: K, options: Record<string, unknown>): Promise<ComponentKindsV1[K]> {
  const container = createRunContainer();
  registerPlugins(container, [{ plugin }], { logger: silentLogger });
  const context = createComponentContext({ container, hub: mirrorHub, logger: silentLogger, seed: 0, cacheDir: workDir, workingDirectory: workDir });
  return context.createComponent(kind, { id: kind === 'reward-trainer' ? 'tldr-reward-model' : 'reward-model', options });
}

describeRewardContract('reward-model from a local checkpoint', () => create('reward', { model: 'rm' }), { samples });
describeRewardContract('reward-model over HTTP', () => create('reward', { endpointUrl: server.url, batchSize: 2 }), { samples });
describeMetricContract('reward-model metric', () => create('metric', { model: join(workDir, 'rm') }), {
  items: samples.map((sample) => ({ prompt: sample.prompt, prediction: sample.generation, references: sample.references })),
});

describe('reward-model components', () => {
  it('score prompt + generation, the same here and over HTTP', async () => {
    const expected = await model.score(samples.map((s) => `${s.prompt}${s.generation}`), { batchSize: 1 });
    for (const options of [{ model: 'rm' }, { endpointUrl: server.url }]) {
      const reward = await create('reward', options);
      const { scores } = await reward.doScore({ samples });
      scores.forEach((score, i) => expect(score).toBeCloseTo(expected[i], 5));
      await reward.close?.();
    }
    const metric = await create('metric', { model: 'rm' });
    const result = await metric.doCompute({ items: samples.map((s) => ({ prompt: s.prompt, prediction: s.generation, references: [] })), perItem: true });
    expect(result.corpus.reward_model).toBeCloseTo(expected.reduce((a, b) => a + b, 0) / 3, 5);
    result.perItem?.reward_model.forEach((score, i) => expect(score).toBeCloseTo(expected[i], 5));
  });

  it('registers the reward, the metric and the tldr reward trainer', async () => {
    const container = createRunContainer();
    registerPlugins(container, [{ plugin }], { logger: silentLogger });
    expect(listFactories(container, 'reward').map((f) => f.id)).toEqual(['reward-model']);
    expect(listFactories(container, 'metric').map((f) => f.id)).toEqual(['reward-model']);
    const trainer = await create('reward-trainer', {});
    expect(trainer).toMatchObject({ id: 'tldr-reward-model', task: 'tldr' });
  });

  it.each([
    [{}, 'reward.options.model'],
    [{ model: 'rm', endpointUrl: 'http://127.0.0.1:1' }, 'reward.options.model'],
    [{ model: 'rm', batchSize: 0 }, 'reward.options.batchSize'],
    [{ endpointUrl: 'not a url' }, 'reward.options.endpointUrl'],
    [{ endpointUrl: 'http://127.0.0.1:1', token: { env: 'UNSET_RM_TOKEN' } }, 'reward.options.token'],
    [{ model: 'rm', labelz: 1 }, 'reward.options.labelz'],
  ])('refuses %j, naming %s', async (options, field) => {
    const error = await rejectionOf(create('reward', options));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(String(error)).toContain(field);
  });

  it('says how to make a reward model when the folder is missing', async () => {
    const error = await rejectionOf(create('reward', { model: './runs/rewards/tldr-reward-model' }));
    expect(ModelFormatError.isInstance(error)).toBe(true);
    expect((error as ModelFormatError).hint).toContain('rlgf train-reward --task tldr');
  });
});
