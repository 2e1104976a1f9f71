import { silentLogger } from '@rlgf/core';
import { createHubFiles, hubSettingsFromEnv } from '@rlgf/hub';
import { setBackend } from '@rlgf/models';
import { isRewardModelSource, loadRewardModel, RemoteRewardModel, rewardModelFromTrunk } from '@rlgf/reward-model';
import { createVirtualClock, sharedHubMirror } from '@rlgf/testing';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../cli-io';
import { serveRewardModel } from './serve-reward-model';

const hub = createHubFiles({ ...hubSettingsFromEnv(), mirrorDir: sharedHubMirror(), offline: true });
const texts = ['SUBREDDIT: r/a\nTITLE: b\nPOST: c\nTL;DR: one', 'SUBREDDIT: r/a\nTITLE: b\nPOST: c\nTL;DR: another summary', 'x'];

describe('rlgf serve --model <reward model>', () => {
  let scratch: string;
  beforeAll(async () => {
    await setBackend('wasm');
    scratch = await mkdtemp(join(tmpdir(), 'rlgf-cli-serve-rm-'));
    const model = await rewardModelFromTrunk('sshleifer/tiny-gpt2', { hub, cacheDir: scratch, seed: 1 });
    await model.save(join(scratch, 'rm'));
    model.dispose();
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  it('tells a reward model from a language model by its config', async () => {
    expect(await isRewardModelSource(join(scratch, 'rm'))).toBe(true);
    expect(await isRewardModelSource('sshleifer/tiny-gpt2', { hub })).toBe(false);
  });

  it('serves POST /v1/rewards, which the reward-model client calls, with the scores of the checkpoint', async () => {
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    let announce: (url: string) => void = () => undefined;
    const url = new Promise<string>((resolve) => (announce = resolve));
    const io: CliIo = { stdout: (text) => announce(text.trim()), stderr: () => undefined, env: {}, cwd: scratch, isTty: false };
    const serving = serveRewardModel(io, { model: 'rm', source: join(scratch, 'rm'), host: '127.0.0.1', port: 0, token: 'secret', backend: 'wasm', maxBatch: 2, maxConcurrency: 4 }, { hub, logger: silentLogger, stopped });
    try {
      const client = new RemoteRewardModel({
        endpointUrl: await url,
        token: 'secret',
        batchSize: 2,
        concurrency: 2,
        policy: { retries: 1, timeoutMs: 30_000, baseDelayMs: 10, maxDelayMs: 100, maxRetryAfterMs: 1000 },
        deadlineMs: 60_000,
        clock: createVirtualClock(),
        random: () => 0.5,
      });
      const remote = await client.score(texts);
      const local = await loadRewardModel(join(scratch, 'rm'));
      const expected = await local.score(texts, { batchSize: 1 });
      local.dispose();
      remote.forEach((score, i) => expect(score).toBeCloseTo(expected[i], 5));
    } finally {
      stop();
      await serving;
    }
  });
});
