import { InvalidArgumentError, type RewardFunctionV1, type RewardSampleV1 } from '@rlgf/contracts';
import { createComponentContext, createRunContainer, registerPlugins, silentLogger } from '@rlgf/core';
import { createHubFiles, hubSettingsFromEnv } from '@rlgf/hub';
import { describeRewardContract, rejectionOf } from '@rlgf/testing';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { overlapMetricPlugin, overlapScores } from './__fixtures__/overlap-metrics';
import { plugin } from './plugin';
import { defaultMetricTerms } from './reward-options';

function createReward(options: Record<string, unknown>): Promise<RewardFunctionV1> {
  const container = createRunContainer();
  registerPlugins(container, [{ plugin }, { plugin: overlapMetricPlugin }], { logger: silentLogger });
  const hub = createHubFiles({ ...hubSettingsFromEnv({}), offline: true });
  return createComponentContext({ container, hub, logger: silentLogger, seed: 0, cacheDir: tmpdir() }).createComponent('reward', { id: 'metric-reward', options });
}

const sample = (generation: string, references: string[]): RewardSampleV1 => ({ prompt: 'generate a sentence with: dog frisbee catch.', generation, references });
const samples = [
  sample('a dog catches a frisbee', ['the dog catches the frisbee', 'a dog jumps to catch a frisbee']),
  sample('a man throws a ball', ['a man throws a ball to his dog']),
  sample('the cat sleeps', ['a cat sleeps on the sofa', 'the cat is asleep']),
];

describeRewardContract('metric-reward', () => createReward({ metrics: [{ id: 'overlap', score: 'idf' }] }), { samples });

describe('metric-reward', () => {
  it("scores the samples of a call as one corpus: each reward is the metric's per-item score over the batch", async () => {
    const reward = await createReward({ metrics: [{ id: 'overlap', score: 'idf' }] });
    const items = samples.map((s) => ({ prediction: s.generation, references: s.references }));
    expect((await reward.doScore({ samples })).scores).toEqual(overlapScores(items).idf);
    // Alone, every word is in every reference set: document frequencies make the score 0.
    expect((await reward.doScore({ samples: samples.slice(0, 1) })).scores).toEqual([0]);
  });

  it('sums weighted metrics and gives 0 with a warning where a metric has no score', async () => {
    const reward = await createReward({
      metrics: [
        { id: 'overlap', score: 'recall', weight: 2 },
        { id: 'overlap', score: 'idf', weight: -0.5 },
      ],
    });
    const withEmpty = [...samples, sample('', ['a dog'])];
    const { recall, idf } = overlapScores(withEmpty.map((s) => ({ prediction: s.generation, references: s.references })));
    const result = await reward.doScore({ samples: withEmpty });
    result.scores.forEach((score, i) => expect(score).toBeCloseTo((Number.isNaN(recall[i]) ? 0 : 2 * recall[i]) - 0.5 * idf[i], 12));
    expect(result.warnings).toEqual([{ type: 'unscored-samples', message: 'overlap gave no score for 1 of 4 samples; they get 0 from it' }]);
  });

  it('asks which score to use when a metric reports several', async () => {
    const reward = await createReward({ metrics: [{ id: 'overlap' }] });
    const error = await rejectionOf(reward.doScore({ samples }));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(String(error)).toMatch(/one of its per-item scores: recall, idf/);
  });

  it('rejects malformed options by name', async () => {
    expect(String(await rejectionOf(createReward({ metric: [] })))).toContain('reward.options.metric: expected one of the options at this level: metrics (did you mean "metrics"?)');
    expect(String(await rejectionOf(createReward({ metrics: [{ id: 'overlap', weight: 'high' }] })))).toContain('reward.options.metrics.0.weight: got "high", expected number');
    expect(String(await rejectionOf(createReward({ metrics: [{ id: 'overlap', wieght: 2 }] })))).toContain('reward.options.metrics.0.wieght: expected one of the options at this level: id, options, weight, score (did you mean "weight"?)');
    expect(String(await rejectionOf(createReward({ metrics: [] })))).toContain('reward.options.metrics: got [], expected at least 1 entries');
  });

  it("defaults to CIDEr-D, adding SPICE with the same weight when SPICE_JAR names an installed jar (the authors' reward)", async () => {
    expect(defaultMetricTerms(undefined)).toEqual([{ id: 'cider-d', options: {}, weight: 1 }]);
    expect(defaultMetricTerms('/nonexistent/spice-1.0.jar')).toEqual([{ id: 'cider-d', options: {}, weight: 1 }]);
    const jar = join(await mkdtemp(join(tmpdir(), 'spice-')), 'spice-1.0.jar');
    await writeFile(jar, '');
    expect(defaultMetricTerms(jar)).toEqual([
      { id: 'cider-d', options: {}, weight: 1 },
      { id: 'spice', options: {}, weight: 1 },
    ]);
  });
});
