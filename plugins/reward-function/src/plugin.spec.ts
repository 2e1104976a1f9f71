import { createComponent, createComponentContext, createRunContainer, registerPlugins, silentLogger } from '@rlgf/core';
import { describeMetricContract, describeRewardContract } from '@rlgf/testing';
import type { HubFilesV1 } from '@rlgf/contracts';
import { tmpdir } from 'node:os';
import { plugin } from './index';

const noHub: HubFilesV1 = { resolveFile: async () => Promise.reject(new Error('no hub')), listFiles: async () => [] };

function context() {
  const container = createRunContainer();
  registerPlugins(container, [{ plugin }], { logger: silentLogger });
  return createComponentContext({ container, hub: noHub, logger: silentLogger, seed: 0, cacheDir: tmpdir(), workingDirectory: __dirname });
}

const samples = [
  { prompt: 'Say yes', generation: 'yes yes no', references: ['yes'] },
  { prompt: 'Say it', generation: 'yes', references: ['yes'] },
  { prompt: 'Again', generation: '', references: ['no'] },
];

describe('the function reward', () => {
  it('calls a batched async export with the samples and its settings', async () => {
    const reward = await createComponent(context(), 'reward', { id: 'function', options: { module: './__fixtures__/scores.ts', export: 'yesShare' } });
    expect((await reward.doScore({ samples })).scores).toEqual([2 / 3, 1, 0]);
    const noWord = await createComponent(context(), 'reward', { id: 'function', options: { module: './__fixtures__/scores.ts', export: 'yesShare', settings: { word: 'no' } } });
    expect((await noWord.doScore({ samples })).scores).toEqual([1 / 3, 0, 0]);
  });

  it('calls a sync export once per sample with batched: false', async () => {
    const reward = await createComponent(context(), 'reward', { id: 'function', options: { module: './__fixtures__/scores.ts', export: 'exact', batched: false } });
    expect((await reward.doScore({ samples })).scores).toEqual([0, 1, 0]);
  });

  it('names what is wrong: a missing export (listing the functions), a wrong result, a missing module, an unknown option', async () => {
    const ctx = context();
    await expect(createComponent(ctx, 'reward', { id: 'function', options: { module: './__fixtures__/scores.ts', export: 'yesshare' } })).rejects.toThrow(
      'reward.options.export: got "yesshare", expected the name of a function exported by ./__fixtures__/scores.ts (it exports exact, lengthOf, wrongCount, yesShare)',
    );
    const wrong = await createComponent(ctx, 'reward', { id: 'function', options: { module: './__fixtures__/scores.ts', export: 'wrongCount' } });
    await expect(wrong.doScore({ samples })).rejects.toThrow('expected one number per sample (3), got a list of 1 (number)');
    await expect(createComponent(ctx, 'reward', { id: 'function', options: { module: './nope.ts' } })).rejects.toThrow(/cannot load plugin \.\/nope\.ts: no file or directory/);
    await expect(createComponent(ctx, 'reward', { id: 'function', options: { modul: './x.ts' } })).rejects.toThrow(
      'reward.options.modul: expected one of the options at this level: module, export, batched, settings (did you mean "module"?); reward.options.module: got nothing, expected string',
    );
    await expect(createComponent(ctx, 'reward', { id: 'function' })).rejects.toThrow('reward.options.module: expected string (required)');
  });

  describeRewardContract('function (batched)', () => createComponent(context(), 'reward', { id: 'function', options: { module: './__fixtures__/scores.ts', export: 'yesShare' } }), { samples });
});

describe('the function metric', () => {
  it('reports the mean of per-item scores under the export name, and per item when asked', async () => {
    const metric = await createComponent(context(), 'metric', { id: 'function', options: { module: './__fixtures__/scores.ts', export: 'lengthOf', batched: false } });
    const result = await metric.doCompute({ items: [{ prediction: 'abcd', references: [] }, { prediction: 'ab', references: [] }], perItem: true });
    expect(result.corpus).toEqual({ lengthOf: 3 });
    expect(result.perItem).toEqual({ lengthOf: [4, 2] });
  });

  it('hands items a `generation` too, so a reward function doubles as a metric', async () => {
    const metric = await createComponent(context(), 'metric', { id: 'function', options: { module: './__fixtures__/scores.ts', export: 'yesShare' } });
    expect((await metric.doCompute({ items: [{ prediction: 'yes no', references: [] }] })).corpus).toEqual({ yesShare: 0.5 });
  });

  describeMetricContract(
    'function',
    () => createComponent(context(), 'metric', { id: 'function', options: { module: './__fixtures__/scores.ts', export: 'lengthOf', batched: false, name: 'length', higherIsBetter: false } }),
    { items: [{ prediction: 'a b', references: ['a'] }, { prediction: 'c', references: ['c'] }] },
  );
});
