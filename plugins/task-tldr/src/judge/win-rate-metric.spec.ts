import { EndpointUnavailableError, InvalidArgumentError, type MetricItemV1, type MetricV1 } from '@rlgf/contracts';
import { createComponentContext, createComponentWith, createRunContainer, silentLogger } from '@rlgf/core';
import { createVirtualClock, describeMetricContract, rejectionOf, startCompletionServer, type CompletionReply, type CompletionServer } from '@rlgf/testing';
import { tmpdir } from 'node:os';
import { startChatJudgeServer, summariesOf, type ChatJudgeServer } from '../__fixtures__/chat-judge-server';
import { mirrorHub } from '../__fixtures__/policy-tokenizers';
import { createWinRateMetricFactory, type WinRateMetricSettings } from './win-rate-metric';

const post = (i: number) => `SUBREDDIT: r/test\nTITLE: Question ${i}\nPOST: This is post number ${i}, long in its full form.\nTL;DR:`;

/** Predictions with "crisp" in them beat the reference (the scripted judge likes that word). */
function items(count: number, crisp: (i: number) => boolean): MetricItemV1[] {
  return Array.from({ length: count }, (_, i) => ({
    prompt: `SUBREDDIT: r/test\nTITLE: Question ${i}\nPOST: number ${i}, cut.\nTL;DR:`,
    prediction: crisp(i) ? ` a crisp summary ${i}` : ` a vague summary ${i}`,
    references: [` the reference summary ${i}`],
    meta: { sourcePrompt: post(i) },
  }));
}

/** Prefers the summary that says "crisp", else the reference. */
function crispJudge(prompt: string): string {
  return `Comparison: one of them is crisper.\nPreferred: ${prefersA(prompt) ? 'A' : 'B'}`;
}

function prefersA(prompt: string): boolean {
  const { a, b } = summariesOf(prompt);
  return a.includes('crisp') || (!b.includes('crisp') && a.includes('reference'));
}

function createMetric(options: Record<string, unknown>, settings: WinRateMetricSettings = {}, seed = 0): Promise<MetricV1> {
  const context = createComponentContext({ container: createRunContainer(), hub: mirrorHub, logger: silentLogger, seed, cacheDir: tmpdir() });
  return createComponentWith(context, createWinRateMetricFactory({ env: {}, clock: createVirtualClock(), random: () => 0.5, ...settings }), options);
}

let chat: ChatJudgeServer;
beforeAll(async () => {
  chat = await startChatJudgeServer((request) => ({ text: crispJudge(request.prompt) }));
});
afterAll(() => chat.close());

describeMetricContract('tldr-win-rate on a loopback chat judge', () => createMetric({ endpointUrl: chat.url, model: 'judge' }), { items: items(4, (i) => i % 2 === 0) });

describe('tldr-win-rate', () => {
  it('counts the policy wins whichever position the seeded coin gave it, the same on every run', async () => {
    const metric = await createMetric({ endpointUrl: `${chat.url}/v1/`, model: 'gpt-4-0314' });
    const before = chat.requests.length;
    const result = await metric.doCompute({ items: items(20, (i) => i < 7), perItem: true });
    expect(result.corpus).toEqual({ win_rate: 7 / 20, judge_undecided: 0 });
    expect(result.perItem?.win_rate).toEqual(Array.from({ length: 20 }, (_, i) => (i < 7 ? 1 : 0)));
    const requests = chat.requests.slice(before);
    const policyFirst = requests.map((request) => summariesOf(request.prompt).a.includes('summary') && !summariesOf(request.prompt).a.includes('reference'));
    expect(policyFirst.filter(Boolean).length).toBeGreaterThan(4);
    expect(policyFirst.filter((first) => !first).length).toBeGreaterThan(4);
    const again = await metric.doCompute({ items: items(20, (i) => i < 7) });
    const repeated = chat.requests.slice(before + 20).map((request) => request.prompt);
    expect(again.corpus).toEqual(result.corpus);
    expect(repeated.sort()).toEqual(requests.map((request) => request.prompt).sort());
    expect(requests[0].body).toMatchObject({ model: 'gpt-4-0314', temperature: 0, max_tokens: 128 });
    expect(requests[0].path).toBe('/v1/chat/completions');
  });

  it('draws other positions with another seed', async () => {
    const seen: string[][] = [];
    for (const seed of [1, 2]) {
      const before = chat.requests.length;
      await (await createMetric({ endpointUrl: chat.url, model: 'judge', seed })).doCompute({ items: items(16, () => true) });
      seen.push(chat.requests.slice(before).map((request) => summariesOf(request.prompt).a).sort());
    }
    expect(seen[0]).not.toEqual(seen[1]);
  });

  it('shows the judge the whole post by default, or the post as cut for the policy', async () => {
    const before = chat.requests.length;
    await (await createMetric({ endpointUrl: chat.url, model: 'judge' })).doCompute({ items: items(1, () => true) });
    await (await createMetric({ endpointUrl: chat.url, model: 'judge', post: 'prompt' })).doCompute({ items: items(1, () => true) });
    const [full, cut] = chat.requests.slice(before).map((request) => request.prompt);
    expect(full).toContain('Post:\nSUBREDDIT: r/test\nTITLE: Question 0\nPOST: This is post number 0, long in its full form.\n\nSummary A:');
    expect(cut).toContain('POST: number 0, cut.\n\nSummary A:');
    expect(full).not.toContain('TL;DR:');
  });

  it('counts an answer that names neither summary as a half, with a warning', async () => {
    const server = await startChatJudgeServer((_, index) => ({ text: index === 0 ? 'Both are equally good.' : 'Comparison: x\nPreferred: A' }));
    try {
      const metric = await createMetric({ endpointUrl: server.url, model: 'judge', concurrency: 1 });
      const result = await metric.doCompute({ items: items(2, () => true), perItem: true });
      expect(result.perItem?.win_rate[0]).toBe(0.5);
      expect(result.corpus.judge_undecided).toBe(0.5);
      expect(result.warnings[0].message).toContain('named neither summary on 1 of 2 items');
    } finally {
      await server.close();
    }
  });

  it('waits as long as Retry-After asks when rate limited, then judges', async () => {
    const clock = createVirtualClock();
    const server = await startChatJudgeServer((request, index) => (index === 0 ? { status: 429, retryAfter: '3' } : { text: crispJudge(request.prompt) }));
    try {
      const metric = await createMetric({ endpointUrl: server.url, model: 'judge', concurrency: 1 }, { clock });
      const result = await metric.doCompute({ items: items(1, () => true) });
      expect(result.corpus.win_rate).toBe(1);
      expect(clock.sleeps).toEqual([3000]);
      expect(server.requests).toHaveLength(2);
    } finally {
      await server.close();
    }
  });
});

describe('tldr-win-rate on /v1/completions with faults', () => {
  let server: CompletionServer;
  beforeEach(async () => {
    server = await startCompletionServer({ token: 'sk-secret-judge', reply: (request) => ({ kind: 'complete', text: ` one is crisper.\nPreferred: ${prefersA(request.prompt ?? '') ? 'A' : 'B'}` }) });
  });
  afterEach(() => server.close());
  const options = () => ({ endpointUrl: server.url, api: 'completions', model: 'tgi', token: { env: 'JUDGE_TOKEN' }, retries: 2 });
  const settings = { env: { JUDGE_TOKEN: 'sk-secret-judge' } };

  it('sends the prompt with the bearer token and reads choices[0].text', async () => {
    const result = await (await createMetric(options(), settings)).doCompute({ items: items(6, (i) => i % 3 === 0) });
    expect(result.corpus.win_rate).toBeCloseTo(2 / 6, 10);
    expect(server.requests[0].headers.authorization).toBe('Bearer sk-secret-judge');
    expect(server.requests[0].body).toMatchObject({ model: 'tgi', max_tokens: 128, temperature: 0 });
  });

  it('retries server errors, cut bodies and resets per item', async () => {
    const faults: CompletionReply[] = [{ kind: 'status', status: 503 }, { kind: 'truncated-json' }, { kind: 'reset' }];
    server.setReply((request) => (request.attemptOfPrompt === 0 ? faults[request.index % 3] : { kind: 'complete', text: 'Preferred: A' }));
    const result = await (await createMetric(options(), settings)).doCompute({ items: items(3, () => true) });
    expect(Object.keys(result.corpus)).toEqual(['win_rate', 'judge_undecided']);
    expect(server.requests).toHaveLength(6);
  });

  it('fails with EndpointUnavailableError after the retries, without showing the token', async () => {
    server.setReply(() => ({ kind: 'status', status: 500, message: 'bad token sk-secret-judge' }));
    const error = await rejectionOf((await createMetric(options(), settings)).doCompute({ items: items(2, () => true) }));
    expect(EndpointUnavailableError.isInstance(error)).toBe(true);
    expect(String(error)).toContain('failed on 2 of 2 items');
    expect(String(error)).toContain('HTTP 500');
    expect(String(error)).not.toContain('sk-secret-judge');
    expect(server.requests).toHaveLength(6);
  });

  it('does not retry an answer of the wrong shape or a refused request', async () => {
    server.setReply(() => ({ kind: 'no-choices' }));
    const shape = await rejectionOf((await createMetric(options(), settings)).doCompute({ items: items(1, () => true) }));
    expect(String(shape)).toContain('choices[0].text');
    const wrongToken = await rejectionOf((await createMetric({ ...options(), token: 'sk-wrong' })).doCompute({ items: items(1, () => true) }));
    expect(String(wrongToken)).toContain('HTTP 401');
    expect(server.requests).toHaveLength(2);
  });
});

describe('tldr-win-rate options', () => {
  it.each([
    [{ model: 'judge' }, 'metric.options.endpointUrl: expected string (required)'],
    [{ endpointUrl: 'ftp://x', model: 'judge' }, 'metric.options.endpointUrl: got "ftp://x", expected an http(s) URL of an OpenAI-compatible server'],
    [{ endpointUrl: 'http://127.0.0.1:1' }, 'metric.options.model: expected string (required)'],
    [{ endpointUrl: 'http://127.0.0.1:1', model: 'j', api: 'responses' }, 'metric.options.api: got "responses", expected one of "chat", "completions"'],
    [{ endpointUrl: 'http://127.0.0.1:1', model: 'j', token: { env: 'UNSET_VARIABLE' } }, 'metric.options.token: expected environment variable UNSET_VARIABLE to hold the token, but it is not set'],
    [{ endpointUrl: 'http://127.0.0.1:1', model: 'j', token: { secret: 'sk-123' } }, 'metric.options.token: expected a token string, { env: "VARIABLE" }, or null for no token'],
    [{ endpointUrl: 'http://127.0.0.1:1', model: 'j', judge: 'gpt-4' }, 'metric.options.judge: expected one of the options at this level: endpointUrl, api, model, token'],
  ])('refuses %j, naming %s', async (options, field) => {
    const error = await rejectionOf(createMetric(options));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(String(error)).toContain(field);
    expect(String(error)).not.toContain('sk-123');
  });

  it('needs the items\' prompts and references', async () => {
    const metric = await createMetric({ endpointUrl: chat.url, model: 'judge' });
    const error = await rejectionOf(metric.doCompute({ items: [{ prediction: ' x', references: [' y'] }] }));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect(String(error)).toContain('items[0].prompt');
  });
});
