import { startRewardServer, type RewardServer } from './start-reward-server';
import type { RewardScoring } from './rewards-route';

/** A reward that a test can predict: the number of characters of each text. */
function lengthScoring(): RewardScoring & { readonly calls: number; readonly maxConcurrent: number; hold?: Promise<void> } {
  let active = 0;
  const state = {
    calls: 0,
    maxConcurrent: 0,
    hold: undefined as Promise<void> | undefined,
    async score(texts: readonly string[]) {
      state.calls += 1;
      active += 1;
      state.maxConcurrent = Math.max(state.maxConcurrent, active);
      await (state.hold ?? new Promise((resolve) => setTimeout(resolve, 10)));
      active -= 1;
      return texts.map((text) => text.length);
    },
  };
  return state;
}

const post = (server: RewardServer, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/v1/rewards`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('startRewardServer', () => {
  let scoring: ReturnType<typeof lengthScoring>;
  let server: RewardServer;
  beforeEach(async () => {
    scoring = lengthScoring();
    server = await startRewardServer({ scoring, modelId: 'runs/rewards/tldr', maxInputs: 4, maxConcurrency: 3, token: 'serve-secret' });
  });
  afterEach(() => server.close());
  const auth = { Authorization: 'Bearer serve-secret' };

  it('answers {"inputs": [...]} with one reward per input, in order, scoring one request at a time', async () => {
    const answers = await Promise.all([post(server, { inputs: ['a', 'bbb'] }, auth), post(server, { inputs: ['cc'] }, auth), post(server, { inputs: [] }, auth)]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(await Promise.all(answers.map((a) => a.json()))).toEqual([{ rewards: [1, 3] }, { rewards: [2] }, { rewards: [] }]);
    expect(scoring.calls).toBe(2);
    expect(scoring.maxConcurrent).toBe(1);
  });

  it.each([
    [{ texts: ['a'] }, 422, 'the body must be {"inputs"'],
    [{ inputs: ['a', 2] }, 422, 'inputs[1] is not a string'],
    [{ inputs: ['a', 'b', 'c', 'd', 'e'] }, 422, 'at most 4'],
  ])('refuses %j with %i', async (body, status, message) => {
    const answer = await post(server, body, auth);
    expect(answer.status).toBe(status);
    expect(((await answer.json()) as { error: string }).error).toContain(message);
  });

  it('wants the bearer token on /v1/rewards and /info, not on /health', async () => {
    expect((await post(server, { inputs: ['a'] })).status).toBe(401);
    expect((await post(server, { inputs: ['a'] }, { Authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    const info = await fetch(`${server.url}/info`, { headers: auth });
    expect(await info.json()).toMatchObject({ model_id: 'runs/rewards/tldr', max_client_batch_size: 4, model_pipeline_tag: 'text-classification' });
  });

  it('answers unknown routes with 404 and wrong methods with 405, only to clients with the token', async () => {
    for (const [path, method] of [['/v1/completions', 'POST'], ['/v1/rewards', 'GET']]) {
      const refused = await fetch(`${server.url}${path}`, { method });
      expect(refused.status).toBe(401);
      expect(await refused.text()).not.toContain('/v1/rewards');
    }
    expect((await fetch(`${server.url}/v1/completions`, { method: 'POST', headers: auth })).status).toBe(404);
    const wrong = await fetch(`${server.url}/v1/rewards`, { headers: auth });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });

  it('refuses requests beyond maxConcurrency with 503 and Retry-After', async () => {
    let release: () => void = () => undefined;
    scoring.hold = new Promise((resolve) => (release = resolve));
    const waiting = [post(server, { inputs: ['a'] }, auth), post(server, { inputs: ['b'] }, auth), post(server, { inputs: ['c'] }, auth)];
    // Wait until all three are admitted (one scoring, two queued) rather than for a fixed time.
    while (server.activeRequests < 3) await new Promise((resolve) => setImmediate(resolve));
    const refused = await post(server, { inputs: ['d'] }, auth);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    release();
    expect((await Promise.all(waiting)).map((a) => a.status)).toEqual([200, 200, 200]);
  });
});
