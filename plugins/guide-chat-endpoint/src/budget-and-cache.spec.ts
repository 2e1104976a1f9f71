import { GuideUnavailableError } from '@rlgf/contracts';
import { rejectionOf, startCompletionServer, type CompletionServer } from '@rlgf/testing';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestGuide } from './__fixtures__/guide-harness';
import { AnswerCache, answerKey } from './answer-cache';

const inputs = (...texts: string[]) => texts.map((promptText) => ({ promptText }));

describe('chat-endpoint guide: the answer cache', () => {
  let server: CompletionServer;
  beforeAll(async () => {
    // 10 prompt tokens and 5 completion tokens per answer: budgets a test can count.
    server = await startCompletionServer({ reply: () => ({ kind: 'complete', usage: { promptTokens: 10, completionTokens: 5 } }) });
  });
  afterAll(() => server.close());

  it('sends no request twice: a second guide on the same cache answers from disk, with the same texts and no tokens spent', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'rlgf-chat-cache-'));
    const options = { endpointUrl: server.url, model: 'm', cacheDir };
    const before = server.requests.length;
    const first = await createTestGuide(options);
    const a = await first.guide.doGenerate({ inputs: inputs('one', 'two', 'three'), maxNewTokens: 4, seed: 3 });
    expect(a.usage).toEqual({ requests: 3, cachedAnswers: 0, promptTokens: 30, completionTokens: 15 });
    const second = await createTestGuide(options);
    const b = await second.guide.doGenerate({ inputs: inputs('one', 'two', 'three'), maxNewTokens: 4, seed: 3 });
    expect(b.outputs).toEqual(a.outputs);
    expect(b.usage).toEqual({ requests: 0, cachedAnswers: 3, promptTokens: 0, completionTokens: 0 });
    expect(server.requests.length - before).toBe(3);
    // Another seed, budget or model is another request.
    const other = await second.guide.doGenerate({ inputs: inputs('one'), maxNewTokens: 4, seed: 4 });
    expect(other.usage).toMatchObject({ requests: 1, cachedAnswers: 0 });
    const longer = await second.guide.doGenerate({ inputs: inputs('one'), maxNewTokens: 5, seed: 3 });
    expect(longer.usage).toMatchObject({ requests: 1, cachedAnswers: 0 });
    const otherModel = await createTestGuide({ ...options, model: 'n' });
    expect((await otherModel.guide.doGenerate({ inputs: inputs('one'), maxNewTokens: 4, seed: 3 })).usage).toMatchObject({ requests: 1 });
  });

  it('keeps failures out of the cache, and with cache: false sends every request', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'rlgf-chat-cache-'));
    server.setReply((request) => (request.attemptOfPrompt === 0 ? { kind: 'status', status: 400 } : { kind: 'complete', usage: { promptTokens: 10, completionTokens: 5 } }));
    const first = await createTestGuide({ endpointUrl: server.url, model: 'm', cacheDir });
    expect((await first.guide.doGenerate({ inputs: inputs('refused once'), maxNewTokens: 4, seed: 1 })).outputs[0].status).toBe('failed');
    expect((await first.guide.doGenerate({ inputs: inputs('refused once'), maxNewTokens: 4, seed: 1 })).outputs[0].status).toBe('ok');
    const off = await createTestGuide({ endpointUrl: server.url, model: 'm', cacheDir, cache: false });
    expect((await off.guide.doGenerate({ inputs: inputs('refused once'), maxNewTokens: 4, seed: 1 })).usage).toMatchObject({ requests: 1, cachedAnswers: 0 });
    server.setReply(() => ({ kind: 'complete', usage: { promptTokens: 10, completionTokens: 5 } }));
  });

  it('keys on endpoint and the whole request body, whatever the order of its fields', () => {
    const body = { model: 'm', messages: [{ role: 'user', content: 'x' }], max_tokens: 4, seed: 1 };
    const reordered = { seed: 1, max_tokens: 4, messages: [{ content: 'x', role: 'user' }], model: 'm' };
    expect(answerKey('http://a', body)).toBe(answerKey('http://a', reordered));
    expect(answerKey('http://a', body)).not.toBe(answerKey('http://b', body));
    expect(answerKey('http://a', body)).not.toBe(answerKey('http://a', { ...body, temperature: 0.5 }));
  });

  it('writes entries whole (no temporary files left), treats a damaged entry as a miss, and stays under its size bound', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rlgf-chat-cache-'));
    const cache = new AnswerCache({ dir, maxBytes: 1000 });
    const key = answerKey('http://a', { n: 0 });
    await cache.set(key, { content: 'hello', promptTokens: 1, completionTokens: 1 });
    expect(await cache.get(key)).toEqual({ content: 'hello', promptTokens: 1, completionTokens: 1 });
    const shard = join(dir, key.slice(0, 2));
    expect(await readdir(shard)).toEqual([`${key}.json`]);
    await writeFile(join(shard, `${key}.json`), '{"content": "hel');
    expect(await cache.get(key)).toBeUndefined();
    expect(await readdir(shard)).toEqual([]);
    for (let n = 1; n <= 40; n++) await cache.set(answerKey('http://a', { n }), { content: 'x'.repeat(40), promptTokens: 1, completionTokens: 1 });
    expect(await cache.size()).toBeLessThanOrEqual(1000);
    // The newest answers are kept, the oldest gone.
    expect(await cache.get(answerKey('http://a', { n: 40 }))).toBeDefined();
    expect(await cache.get(answerKey('http://a', { n: 1 }))).toBeUndefined();
    const reopened = new AnswerCache({ dir, maxBytes: 1000 });
    expect(await reopened.size()).toBe(await cache.size());
    expect(JSON.parse(await readFile(join(dir, answerKey('http://a', { n: 40 }).slice(0, 2), `${answerKey('http://a', { n: 40 })}.json`), 'utf8'))).toMatchObject({ content: 'x'.repeat(40) });
  });
});

describe('chat-endpoint guide: token budgets', () => {
  let server: CompletionServer;
  beforeAll(async () => {
    server = await startCompletionServer({ reply: () => ({ kind: 'complete', usage: { promptTokens: 10, completionTokens: 5 } }) });
  });
  afterAll(() => server.close());

  const base = () => ({ endpointUrl: server.url, model: 'm', concurrency: 1, cache: false });

  it('with onBudgetExhausted: "fallback" fails the samples past the run budget, in one line each, and sends nothing more', async () => {
    const { guide } = await createTestGuide({ ...base(), maxTokens: 40, onBudgetExhausted: 'fallback' });
    const before = server.requests.length;
    const result = await guide.doGenerate({ inputs: inputs('a', 'b', 'c', 'd'), maxNewTokens: 4, seed: 1 });
    // 15 tokens per answer: after three the budget of 40 is spent.
    expect(result.outputs.map((output) => output.status)).toEqual(['ok', 'ok', 'ok', 'failed']);
    expect(result.outputs[3]).toEqual({ status: 'failed', reason: "the guide's token budget of 40 is spent (45 tokens used; option maxTokens)" });
    expect(result.usage).toEqual({ requests: 3, cachedAnswers: 0, promptTokens: 30, completionTokens: 15 });
    const later = await guide.doGenerate({ inputs: inputs('e'), maxNewTokens: 4, seed: 1 });
    expect(later.outputs[0].status).toBe('failed');
    expect(server.requests.length - before).toBe(3);
  });

  it('with onBudgetExhausted: "fail" stops the batch that spends it and every later one with GuideUnavailableError', async () => {
    const { guide } = await createTestGuide({ ...base(), maxTokens: 20 });
    const error = await rejectionOf<GuideUnavailableError>(guide.doGenerate({ inputs: inputs('a', 'b', 'c'), maxNewTokens: 4, seed: 1 }));
    expect(GuideUnavailableError.isInstance(error)).toBe(true);
    expect(error.message).toBe(`chat guide ${server.url} (model m): the guide's token budget of 20 is spent (30 tokens used; option maxTokens)`);
    expect(error.hint).toMatch(/--set guide\.options\.maxTokens=/);
    const before = server.requests.length;
    expect(GuideUnavailableError.isInstance(await rejectionOf(guide.doGenerate({ inputs: inputs('d'), maxNewTokens: 4, seed: 1 })))).toBe(true);
    expect(server.requests.length).toBe(before);
  });

  it('starts the per-iteration budget over at each call, and answers from the cache cost nothing', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'rlgf-chat-cache-'));
    const { guide } = await createTestGuide({ ...base(), cache: true, cacheDir, maxTokensPerIteration: 30, onBudgetExhausted: 'fail' });
    const first = await guide.doGenerate({ inputs: inputs('a', 'b', 'c'), maxNewTokens: 4, seed: 1 });
    expect(first.outputs.map((output) => output.status)).toEqual(['ok', 'ok', 'failed']);
    expect(first.outputs[2]).toEqual({ status: 'failed', reason: expect.stringContaining('budget of 30 per iteration is spent') });
    const second = await guide.doGenerate({ inputs: inputs('a', 'b', 'c', 'd'), maxNewTokens: 4, seed: 1 });
    // a and b from the cache (free), c and d sent.
    expect(second.outputs.map((output) => output.status)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(second.usage).toEqual({ requests: 2, cachedAnswers: 2, promptTokens: 20, completionTokens: 10 });
    expect(guide.tokensSpent).toBe(60);
  });
});
