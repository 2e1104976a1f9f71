import { DatasetError, InvalidArgumentError, type RewardTrainerV1 } from '@rlgf/contracts';
import { openHubDataset } from '@rlgf/datasets';
import { createComponentContext, createRunContainer, registerPlugins, silentLogger } from '@rlgf/core';
import { readCheckpoint, setBackend } from '@rlgf/models';
import { rejectionOf } from '@rlgf/testing';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tldrPostsPlugin } from '../__fixtures__/tldr-posts-task';
import { cacheDir, mirrorHub } from '../__fixtures__/tiny-reward-models';
import { loadRewardModel } from '../model/load-reward-model';
import { plugin } from '../plugin';
import { trainingReportFile } from './tldr-trainer';

const splits = { train: 'test[:30]', validation: 'test[30:40]', test: 'test[40:50]' };

async function trainer(dir: string, taskSplits = splits): Promise<RewardTrainerV1> {
  const container = createRunContainer();
  registerPlugins(container, [{ plugin }, { plugin: tldrPostsPlugin(taskSplits) }], { logger: silentLogger });
  const context = createComponentContext({ container, hub: mirrorHub, logger: silentLogger, seed: 0, cacheDir: dir });
  return context.createComponent('reward-trainer', { id: 'tldr-reward-model' });
}

let dir: string;
beforeAll(async () => {
  await setBackend('wasm');
  dir = await cacheDir();
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('tldr-reward-model trainer on CarperAI/openai_summarize_comparisons', () => {
  it('splits the pairs by post with the task splits, trains, reports held-out accuracy and saves a loadable classifier', async () => {
    const outDir = join(dir, 'rm');
    const progress: string[] = [];
    const result = await (await trainer(dir)).doTrain({
      outDir,
      settings: { model: 'sshleifer/tiny-gpt2', epochs: 1, batchSize: 8 },
      seed: 3,
      hub: mirrorHub,
      logger: silentLogger,
      onProgress: (phase, done, total) => progress.push(`${phase} ${done}/${total}`),
    });
    // Counted independently: pairs whose prompt is one of the first 30 posts, or of the next 20.
    const posts = (await (await openHubDataset(mirrorHub, { repo: 'CarperAI/openai_summarize_tldr' })).readRows('test[:50]')).map((row) => row.prompt);
    const pairs = await (await openHubDataset(mirrorHub, { repo: 'CarperAI/openai_summarize_comparisons' })).readRows('test');
    const postOf = (pair: (typeof pairs)[number]) => posts.indexOf(pair.prompt);
    const trainPairs = pairs.filter((pair) => postOf(pair) >= 0 && postOf(pair) < 30).length;
    const heldOutPairs = pairs.filter((pair) => postOf(pair) >= 30).length;
    expect(trainPairs).toBeGreaterThan(10);
    expect(result.metrics).toMatchObject({ train_pairs: trainPairs, held_out_pairs: heldOutPairs });
    for (const name of ['pairwise_accuracy', 'pairwise_accuracy_p_value', 'held_out_loss', 'initial_pairwise_accuracy', 'train_pairwise_accuracy', 'longer_summary_accuracy']) {
      expect(Number.isFinite(result.metrics[name])).toBe(true);
    }
    expect(progress).toEqual(['train 1/3', 'train 2/3', 'train 3/3'].slice(0, Math.ceil(trainPairs / 8)));
    expect(result.checkpointDir).toBe(outDir);
    expect(result.usage).toContain('id: reward-model');
    const report = JSON.parse(await readFile(join(outDir, trainingReportFile), 'utf8')) as Record<string, unknown>;
    expect(report).toMatchObject({ trunk: 'sshleifer/tiny-gpt2', seed: 3, steps: 3, metrics: result.metrics });
    expect(String(report.pairs)).toContain('judged by a GPT model, not by people');
    expect((await readCheckpoint(outDir)).config.architectures).toEqual(['GPT2ForSequenceClassification']);
    const loaded = await loadRewardModel(outDir);
    expect((await loaded.score(['SUBREDDIT: r/a\nTITLE: b\nPOST: c\nTL;DR: d'], { batchSize: 1 }))[0]).toEqual(expect.any(Number));
    loaded.dispose();
  });

  it('refuses task splits that leave no held-out pair', async () => {
    const error = await rejectionOf(
      (await trainer(dir, { train: 'test[:20]', validation: 'test[:0]', test: 'test[:0]' })).doTrain({ outDir: join(dir, 'none'), settings: { model: 'sshleifer/tiny-gpt2' }, seed: 0, hub: mirrorHub, logger: silentLogger }),
    );
    expect(DatasetError.isInstance(error)).toBe(true);
    expect(String(error)).toContain('0 held-out pairs');
  });

  it.each([
    [{ epochs: 0 }, 'settings.epochs'],
    [{ learningRate: -1 }, 'settings.learningRate'],
    [{ taskOptions: 'x' }, 'settings.taskOptions'],
    [{ epoch: 2 }, 'settings.epoch'],
  ])('refuses settings %j, naming %s', async (settings, field) => {
    const error = await rejectionOf((await trainer(dir)).doTrain({ outDir: join(dir, 'bad'), settings, seed: 0, hub: mirrorHub, logger: silentLogger }));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(String(error)).toContain(field);
  });
});
