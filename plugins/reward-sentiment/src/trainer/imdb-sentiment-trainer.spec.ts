import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError, type HubFilesV1, type RewardTrainerV1 } from '@rlgf/contracts';
import { createComponentContext, createRunContainer, listFactories, registerPlugins, silentLogger } from '@rlgf/core';
import { createHubFiles, hubSettingsFromEnv } from '@rlgf/hub';
import { setBackend } from '@rlgf/models';
import { rejectionOf, sharedHubMirror } from '@rlgf/testing';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plugin } from '../plugin';

const hub: HubFilesV1 = createHubFiles({ ...hubSettingsFromEnv(), mirrorDir: sharedHubMirror(), offline: true });
const small = { trainSize: 1000, evalSize: 400, buckets: 16384, learningRate: 0.01 };

let scratch: string;
let trainer: RewardTrainerV1;
beforeAll(async () => {
  await setBackend('wasm');
  scratch = await mkdtemp(join(tmpdir(), 'rlgf-imdb-sentiment-'));
  const container = createRunContainer();
  registerPlugins(container, [{ plugin }], { logger: silentLogger });
  const [factory] = listFactories(container, 'reward-trainer');
  trainer = await factory.create({}, createComponentContext({ container, hub, logger: silentLogger, seed: 0, cacheDir: scratch }));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('imdb-sentiment reward trainer', () => {
  it('is registered for the imdb task', () => {
    expect(trainer).toMatchObject({ specificationVersion: 'v1', id: 'imdb-sentiment', task: 'imdb' });
  });

  it('trains on a slice of the train split, measures test accuracy and writes config.json + model.safetensors', async () => {
    const phases = new Map<string, { done: number; total: number }>();
    const before = tf.memory().numTensors;
    const outDir = join(scratch, 'out');
    const result = await trainer.doTrain({
      outDir,
      settings: small,
      seed: 5,
      hub,
      logger: silentLogger,
      onProgress: (phase, done, total) => phases.set(phase, { done, total }),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.checkpointDir).toBe(outDir);
    expect(result.metrics.accuracy).toBeGreaterThan(0.72);
    expect(result.metrics).toMatchObject({ eval_reviews: 400, train_reviews: 1000 });
    expect(result.usage).toContain(`model: ${JSON.stringify(outDir)}`);
    expect((await readdir(outDir)).sort()).toEqual(['config.json', 'model.safetensors']);
    const config = JSON.parse(await readFile(join(outDir, 'config.json'), 'utf8'));
    expect(config).toMatchObject({ model_type: 'rlgf-ngram-sentiment', training: { seed: 5, epochs: 2, learning_rate: 0.01 }, metrics: { accuracy: result.metrics.accuracy } });
    // 1000 train reviews in batches of 64, two epochs.
    expect(phases.get('train')).toEqual({ done: 32, total: 32 });
    expect(phases.get('features')).toEqual({ done: 1400, total: 1400 });
  });

  it('writes the same checkpoint again for the same seed', async () => {
    const run = async (dir: string) => {
      await trainer.doTrain({ outDir: join(scratch, dir), settings: { ...small, trainSize: 300, evalSize: 50 }, seed: 9, hub, logger: silentLogger });
      return readFile(join(scratch, dir, 'model.safetensors'));
    };
    expect(Buffer.compare(await run('a'), await run('b'))).toBe(0);
  });

  it.each([
    [{ epochs: 0 }, 'settings.epochs'],
    [{ learningRate: '0.1' }, 'settings.learningRate'],
    [{ bucket: 8 }, 'settings.bucket'],
  ])('refuses settings %j, naming %s', async (settings, name) => {
    const error = await rejectionOf(trainer.doTrain({ outDir: join(scratch, 'never'), settings, seed: 0, hub, logger: silentLogger }));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(String(error)).toContain(name);
  });
});
