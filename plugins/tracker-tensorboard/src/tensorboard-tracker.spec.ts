import { createComponentContext, createComponentWith, createRunContainer, silentLogger } from '@rlgf/core';
import type { HubFilesV1 } from '@rlgf/contracts';
import { rejectionOf } from '@rlgf/testing';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32cBitwise, readEvents } from './__fixtures__/event-reader';
import { crc32c } from './crc32c';
import { createTensorboardTracker, tensorboardTrackerFactory } from './tensorboard-tracker';

const noHub: HubFilesV1 = { resolveFile: async () => '', listFiles: async () => [] };

describe('CRC-32C', () => {
  it('gives the standard check value for "123456789", by the writer\'s table and the test\'s bitwise reader alike', () => {
    const check = new TextEncoder().encode('123456789');
    expect(crc32c(check)).toBe(0xe3069283);
    expect(crc32cBitwise(check)).toBe(0xe3069283);
  });
});

describe('tensorboard tracker', () => {
  it('writes TFRecord-framed Events that read back: version record, scalars per iteration and evaluation, generations as text', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rlgf-tensorboard-'));
    let now = 1_700_000_000_000;
    const tracker = createTensorboardTracker({ logDir: dir, samples: 2, clock: () => (now += 500) });
    tracker.logEvaluation(0, 'validation', { sentiment: 0.25, 'reward/mean': 0.5 });
    tracker.logSamples?.(0, [
      { prompt: 'The film', generation: ' was | great\nreally', reward: 0.9 },
      { prompt: 'It', generation: ' bored me', reward: 0.125 },
      { prompt: 'never', generation: ' shown', reward: 0 },
    ]);
    tracker.logIteration(0, { phase: 'ppo', 'reward/mean': 0.75, 'kl/mean': 0.0625, 'loss/nan': Number.NaN });
    await tracker.flush();
    await tracker.close();

    expect(readdirSync(dir)).toEqual([expect.stringMatching(/^events\.out\.tfevents\.1700000000\./)]);
    const events = readEvents(readFileSync(tracker.path));
    expect(events[0]).toMatchObject({ fileVersion: 'brain.Event:2', values: [] });
    expect(events.slice(1).map((event) => event.step)).toEqual([0, 0, 0]);
    expect(events.map((event) => event.wallTime)).toEqual([1_700_000_001, 1_700_000_001.5, 1_700_000_002, 1_700_000_002.5]);
    expect(events[1].values).toEqual([
      { tag: 'validation/sentiment', simpleValue: 0.25 },
      { tag: 'validation/reward/mean', simpleValue: 0.5 },
    ]);
    const [text] = events[2].values;
    expect(text).toMatchObject({ tag: 'samples/generations', pluginName: 'text', dtype: 7 });
    expect(text.strings).toEqual(['| prompt | generation | reward |\n|---|---|---|\n| The film |  was \\| great<br>really | 0.9000 |\n| It |  bored me | 0.1250 |']);
    // Strings (the phase) and non-finite numbers are not scalars.
    expect(events[3].values).toEqual([
      { tag: 'train/reward/mean', simpleValue: 0.75 },
      { tag: 'train/kl/mean', simpleValue: 0.0625 },
    ]);
  });

  it('writes to <run dir>/tensorboard by default, made through the core with its options checked', async () => {
    const runDirectory = mkdtempSync(join(tmpdir(), 'rlgf-run-'));
    const context = createComponentContext({ container: createRunContainer(), hub: noHub, logger: silentLogger, seed: 0, cacheDir: tmpdir(), runDirectory });
    const tracker = await createComponentWith(context, tensorboardTrackerFactory, {});
    tracker.logIteration(3, { 'reward/mean': 1 });
    await tracker.close();
    const [file] = readdirSync(join(runDirectory, 'tensorboard'));
    expect(readEvents(readFileSync(join(runDirectory, 'tensorboard', file)))[1]).toMatchObject({ step: 3, values: [{ tag: 'train/reward/mean', simpleValue: 1 }] });

    const outside = createComponentContext({ container: createRunContainer(), hub: noHub, logger: silentLogger, seed: 0, cacheDir: tmpdir() });
    expect(String(await rejectionOf(createComponentWith(outside, tensorboardTrackerFactory, {})))).toContain('tracker.options.logDir: expected a folder for the event files');
    expect(String(await rejectionOf(createComponentWith(context, tensorboardTrackerFactory, { sample: 2 })))).toContain('tracker.options.sample: expected one of the options at this level: logDir, samples (did you mean "samples"?)');
  });
});
