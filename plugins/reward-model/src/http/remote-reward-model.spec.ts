import { EndpointUnavailableError } from '@rlgf/contracts';
import { setBackend, type Checkpoint } from '@rlgf/models';
import { createVirtualClock, rejectionOf } from '@rlgf/testing';
import { startRewardServer, type RewardServer } from '../__fixtures__/reward-server';
import { storiesCheckpoint, tinyLlamaRewardModel } from '../__fixtures__/tiny-reward-models';
import type { RewardModel } from '../model/reward-model';
import { RemoteRewardModel, type RemoteRewardSettings } from './remote-reward-model';
import { rewardsUrl } from './rewards-protocol';

const texts = Array.from({ length: 10 }, (_, i) => `SUBREDDIT: r/a\nTITLE: post ${i}\nPOST: words ${i}\nTL;DR: summary number ${i}`);

let stories: Checkpoint;
let model: RewardModel;
let server: RewardServer;
beforeAll(async () => {
  await setBackend('wasm');
  stories = await storiesCheckpoint();
  model = tinyLlamaRewardModel(stories, { seed: 2 });
});
afterAll(() => model.dispose());
beforeEach(async () => {
  server = await startRewardServer((inputs) => model.score(inputs, { batchSize: 8 }), { delayMs: 20 });
});
afterEach(() => server.close());

function client(overrides: Partial<RemoteRewardSettings> = {}): RemoteRewardModel {
  return new RemoteRewardModel({
    endpointUrl: server.url,
    batchSize: 3,
    concurrency: 2,
    policy: { retries: 2, timeoutMs: 10_000, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 },
    deadlineMs: 60_000,
    clock: createVirtualClock(),
    random: () => 0.5,
    ...overrides,
  });
}

describe('RemoteRewardModel against a loopback reward server', () => {
  it('scores in batches of batchSize, at most `concurrency` at once, as the model does here', async () => {
    const remote = client({ token: 'rm-secret' });
    const scores = await remote.score(texts);
    const local = await model.score(texts, { batchSize: 1 });
    scores.forEach((score, i) => expect(score).toBeCloseTo(local[i], 5));
    expect(server.requests.map((request) => request.inputs.length).sort()).toEqual([1, 3, 3, 3]);
    expect(server.requests.flatMap((request) => request.inputs).sort()).toEqual([...texts].sort());
    expect(server.maxInFlight).toBe(2);
    expect(server.requests[0].headers.authorization).toBe('Bearer rm-secret');
    expect(server.requests[0].path).toBe('/v1/rewards');
    expect(remote.stats).toMatchObject({ calls: 4, attempts: 4, retries: 0, succeeded: 4 });
  });

  it('retries 503 after Retry-After, 500 and dropped connections with backoff, then succeeds', async () => {
    const clock = createVirtualClock();
    const failures = new Map<number, 'status503' | 'status500' | 'reset'>([
      [0, 'status503'],
      [1, 'status500'],
      [2, 'reset'],
    ]);
    server.setReply((request) => {
      const fault = failures.get(request.index);
      if (fault === 'status503') return { kind: 'status', status: 503, retryAfter: '2' };
      if (fault === 'status500') return { kind: 'status', status: 500 };
      if (fault === 'reset') return { kind: 'reset' };
      return { kind: 'score' };
    });
    const remote = client({ clock, batchSize: 5, concurrency: 1 });
    const local = await model.score(texts, { batchSize: 1 });
    (await remote.score(texts)).forEach((score, i) => expect(score).toBeCloseTo(local[i], 5));
    expect(clock.sleeps[0]).toBe(2000);
    expect(clock.sleeps).toHaveLength(3);
    expect(remote.stats.retries).toBe(3);
    expect(server.requests).toHaveLength(5);
  });

  it('fails with EndpointUnavailableError once the retries are spent, without the token', async () => {
    server.setReply(() => ({ kind: 'status', status: 502 }));
    const error = await rejectionOf(client({ token: 'rm-secret' }).score(texts.slice(0, 2)));
    expect(EndpointUnavailableError.isInstance(error)).toBe(true);
    expect(String(error)).toContain('HTTP 502');
    expect(String(error)).toContain('after 3 attempts');
    expect(String(error)).not.toContain('rm-secret');
  });

  it.each([
    ['{"scores": [1]}', 'no "rewards" array'],
    ['{"rewards": [1]}', '1 rewards for 2 inputs'],
    ['{"rewards": [1, "x"]}', 'reward 1 is "x"'],
  ])('does not retry a malformed answer %s', async (body, message) => {
    server.setReply(() => ({ kind: 'raw', body }));
    const error = await rejectionOf(client().score(texts.slice(0, 2)));
    expect(String(error)).toContain(message);
    expect(server.requests).toHaveLength(1);
  });

  it('builds the route from a base URL with or without /v1', () => {
    expect(rewardsUrl('http://h:1')).toBe('http://h:1/v1/rewards');
    expect(rewardsUrl('http://h:1/v1/')).toBe('http://h:1/v1/rewards');
    expect(rewardsUrl('http://h:1/v1/rewards')).toBe('http://h:1/v1/rewards');
  });
});
