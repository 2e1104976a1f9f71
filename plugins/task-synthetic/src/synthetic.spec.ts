import { createComponent, createComponentContext, createRunContainer, registerPlugins, silentLogger } from '@rlgf/core';
import { describeMetricContract, describeRewardContract, describeTaskContract } from '@rlgf/testing';
import type { HubFilesV1 } from '@rlgf/contracts';
import { plugin } from './index';
import { targetShare } from './target-share';

const noHub: HubFilesV1 = { resolveFile: async () => '', listFiles: async () => [] };
const container = createRunContainer();
registerPlugins(container, [{ plugin }], { logger: silentLogger });
const context = createComponentContext({ container, hub: noHub, logger: silentLogger, seed: 0, cacheDir: '/tmp' });
// Through the core, as a recipe would: it validates the options with the factory's schema.
const createTask = (options: Record<string, unknown>) => createComponent(context, 'task', { id: 'synthetic', options });
const createReward = (options: Record<string, unknown>) => createComponent(context, 'reward', { id: 'target-share', options });
const createMetric = (options: Record<string, unknown>) => createComponent(context, 'metric', { id: 'target-share', options });

describeTaskContract('synthetic', () => createTask({ trainSize: 50 }));
describeRewardContract('target-share', () => createReward({}), {
  samples: [
    { prompt: 'b c', generation: 'a a b', references: [] },
    { prompt: 'd', generation: '', references: [] },
  ],
});
describeMetricContract('target-share', () => createMetric({ target: 'c' }), {
  items: [{ prediction: 'c c', references: [] }, { prediction: 'a c d e', references: [] }],
});

describe('synthetic task', () => {
  it('counts the target share of words', () => {
    expect(targetShare('a b a a', 'a')).toBe(0.75);
    expect(targetShare('  ', 'a')).toBe(0);
  });

  it('generates prompts and references of the configured shape, the same for the same seed', async () => {
    const task = await createTask({ promptLength: 3, generationLength: 5, referenceTargetShare: 1, seed: 2 });
    const [first] = await task.doLoadSamples({ split: 'validation', limit: 1 });
    expect(first.prompt.split(' ')).toHaveLength(3);
    expect(first.references).toEqual(['a a a a a']);
    expect(await task.doLoadSamples({ split: 'validation', limit: 3 })).toEqual(await task.doLoadSamples({ split: 'validation', limit: 3 }));
    expect(task.generation.maxNewTokens).toBe(5);
  });

  it('gives a sparse reward above a threshold when asked', async () => {
    const reward = await createReward({ threshold: 0.75 });
    const result = await reward.doScore({ samples: ['a a a b', 'a a b b', 'a a a a'].map((generation) => ({ prompt: '', generation, references: [] })) });
    expect(result.scores).toEqual([1, 0, 1]);
    await expect(createReward({ threshold: 0 })).rejects.toThrow('reward.options.threshold: got 0, expected');
    await expect(createMetric({ target: 'q' })).rejects.toThrow('metric.options.target: got "q"');
    await expect(createMetric({ threshold: 0.5 })).rejects.toThrow('metric.options.threshold: expected one of the options at this level: target');
  });

  it('rejects bad options naming the field', async () => {
    await expect(createTask({ target: 'z' })).rejects.toThrow('task.options.target: got "z", expected one of "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p"');
    await expect(createTask({ promptLength: 0 })).rejects.toThrow('task.options.promptLength');
    await expect(createTask({ vocabulary: 3 })).rejects.toThrow('task.options.vocabulary: expected one of the options at this level: target, promptLength');
  });
});
