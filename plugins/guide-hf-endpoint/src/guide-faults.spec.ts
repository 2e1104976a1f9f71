import { GuideUnavailableError, type GuideOutputV1 } from '@rlgf/contracts';
import { rejectionOf, startCompletionServer, type CompletionReply, type CompletionServer } from '@rlgf/testing';
import { createTestGuide } from './__fixtures__/guide-harness';

/** Returns the given values in turn: jitter a test can predict. */
const draws =
  (...values: number[]) =>
  () =>
    values.shift() ?? 0.5;

const fast = { retries: 2, backoffBaseMs: 100, backoffMaxMs: 1000 };

describe('hf-endpoint guide: faults, retries and fallback', () => {
  let server: CompletionServer;
  beforeAll(async () => {
    server = await startCompletionServer();
  });
  afterAll(() => server.close());

  /** Answers by prompt: `replies[prompt]` lists the replies to its 1st, 2nd, ... request (the last repeats). */
  function scriptByPrompt(replies: Record<string, readonly CompletionReply[]>): void {
    server.setReply((request) => {
      const list = replies[request.prompt ?? ''] ?? [{ kind: 'complete' }];
      return list[Math.min(request.attemptOfPrompt, list.length - 1)];
    });
  }

  let runNumber = 0;
  /** Runs one sample whose server replies follow `replies`; reports what the guide and server did. */
  async function runOne(replies: readonly CompletionReply[], options: Record<string, unknown> = {}) {
    const prompt = `sample ${runNumber++}`;
    scriptByPrompt({ [prompt]: replies });
    const { guide, clock } = await createTestGuide({ endpointUrl: server.url, ...fast, ...options }, { random: draws(0.5, 0.5, 0.5) });
    const result = await guide.doGenerate({ inputs: [{ promptText: prompt }], maxNewTokens: 4, seed: 1 });
    return { output: result.outputs[0], requests: server.requests.filter((request) => request.prompt === prompt).length, sleeps: clock.sleeps, stats: guide.stats };
  }

  const ok: CompletionReply = { kind: 'complete', text: ' fine' };

  it.each<[string, CompletionReply]>([
    ['HTTP 500', { kind: 'status', status: 500 }],
    ['HTTP 502', { kind: 'status', status: 502 }],
    ['HTTP 503', { kind: 'status', status: 503 }],
    ['a reset connection', { kind: 'reset' }],
    ['truncated JSON', { kind: 'truncated-json' }],
  ])('retries %s with backoff and recovers', async (_name, fault) => {
    const run = await runOne([fault, fault, ok]);
    expect(run.output).toEqual({ status: 'ok', text: ' fine' });
    // Full jitter with draws of 0.5: floor(0.5·100), floor(0.5·200).
    expect([run.requests, run.sleeps]).toEqual([3, [50, 100]]);
    expect(run.stats).toMatchObject({ attempts: 3, retries: 2, succeeded: 1, failed: 0 });
  });

  it.each<[string, CompletionReply, RegExp]>([
    ['HTTP 500', { kind: 'status', status: 500 }, /^HTTP 500 \(server error\): Failed to perform inference: injected HTTP 500 \(after 3 attempts\)$/],
    ['a reset connection', { kind: 'reset' }, /^network error: other side closed \(UND_ERR_SOCKET\) \(after 3 attempts\)$/],
    ['truncated JSON', { kind: 'truncated-json' }, /^malformed response \(not valid JSON\): .* \(after 3 attempts\)$/],
  ])('fails a sample that keeps getting %s after 1 + retries requests', async (_name, fault, reason) => {
    const run = await runOne([fault]);
    expect(run.output).toEqual({ status: 'failed', reason: expect.stringMatching(reason) });
    expect([run.requests, run.sleeps]).toEqual([3, [50, 100]]);
    expect(run.stats).toMatchObject({ attempts: 3, failed: 1 });
  });

  it.each<[string, CompletionReply, string]>([
    ['HTTP 400', { kind: 'status', status: 400 }, 'HTTP 400 (request refused)'],
    ['HTTP 401', { kind: 'status', status: 401 }, 'HTTP 401 (request refused)'],
    ['HTTP 404', { kind: 'status', status: 404 }, 'HTTP 404 (request refused)'],
    ['the wrong content type', { kind: 'wrong-content-type' }, 'malformed response: content type text/html; charset=utf-8, expected application/json'],
    ['no choices', { kind: 'no-choices' }, 'malformed response: Received malformed response from HF-Inference text generation API: expected {choices: [{text: string}]}'],
    ['a non-string text', { kind: 'non-string-text' }, 'malformed response: Received malformed response from HF-Inference text generation API: expected {choices: [{text: string}]}'],
  ])('does not retry %s: one request, a failed output', async (_name, fault, reason) => {
    const run = await runOne([fault, ok]);
    expect(run.output).toEqual({ status: 'failed', reason: expect.stringContaining(reason) });
    expect(run.output.status === 'failed' && run.output.reason).toMatch(/\(after 1 attempt\)$/);
    expect([run.requests, run.sleeps]).toEqual([1, []]);
  });

  it.each<[string, string, string]>([
    ['a JSON null', 'application/json', 'null'],
    ['a JSON array', 'application/json', '[{"text":"x"}]'],
    ['an empty body', 'application/json', ''],
    ['choices that are not a list', 'application/json', '{"choices":{"text":"x"}}'],
  ])('turns %s into a failed output, never a crash', async (_name, contentType, body) => {
    const run = await runOne([{ kind: 'raw', status: 200, contentType, body }], { retries: 0 });
    expect(run.output).toEqual({ status: 'failed', reason: expect.stringMatching(/^malformed response.*\(after 1 attempt\)$/) });
  });

  it('honours Retry-After on 429 and 503, in seconds or as an HTTP-date, capped by retryAfterMaxMs', async () => {
    const seconds = await runOne([{ kind: 'status', status: 429, retryAfter: '3' }, ok]);
    expect([seconds.output.status, seconds.requests, seconds.sleeps]).toEqual(['ok', 2, [3000]]);
    // The virtual clock starts at 2024-01-01T00:00:00Z.
    const date = await runOne([{ kind: 'status', status: 429, retryAfter: 'Mon, 01 Jan 2024 00:00:12 GMT' }, ok]);
    expect(date.sleeps).toEqual([12_000]);
    const capped = await runOne([{ kind: 'status', status: 429, retryAfter: '600' }, ok], { retryAfterMaxMs: 5000 });
    expect(capped.sleeps).toEqual([5000]);
    const unreadable = await runOne([{ kind: 'status', status: 429, retryAfter: 'later' }, ok]);
    expect(unreadable.sleeps).toEqual([50]);
    // A 503 may say when to come back too (an endpoint scaling up from zero).
    const starting = await runOne([{ kind: 'status', status: 503, retryAfter: '4' }, ok]);
    expect([starting.output.status, starting.sleeps]).toEqual(['ok', [4000]]);
  });

  it('times out a slow answer and retries it', async () => {
    const run = await runOne([{ kind: 'slow', delayMs: 60_000 }, ok], { timeoutMs: 300 });
    expect([run.output, run.requests]).toEqual([{ status: 'ok', text: ' fine' }, 2]);
    expect(run.stats.failuresByKind.timeout).toBe(1);
  });

  it('fails what is still running when the batch deadline passes', async () => {
    const run = await runOne([{ kind: 'slow', delayMs: 60_000 }], { deadlineMs: 200 });
    expect(run.output).toEqual({ status: 'failed', reason: 'deadline of 200 ms passed (after 1 attempt)' });
    // Not retried (whether the one request reached the server before the deadline depends on load).
    expect(run.requests).toBeLessThanOrEqual(1);
  });

  it('returns failed outputs in place in a mixed batch, counts them and logs one warning', async () => {
    scriptByPrompt({
      'mixed 503 once': [{ kind: 'status', status: 503 }, ok],
      'mixed always 500': [{ kind: 'status', status: 500 }],
      'mixed reset once': [{ kind: 'reset' }, ok],
      'mixed no choices': [{ kind: 'no-choices' }],
    });
    const { guide, lines } = await createTestGuide({ endpointUrl: server.url, ...fast });
    const prompts = ['mixed ok 1', 'mixed 503 once', 'mixed always 500', 'mixed reset once', 'mixed no choices', 'mixed ok 2'];
    const before = server.requests.length;
    const result = await guide.doGenerate({ inputs: prompts.map((promptText) => ({ promptText })), maxNewTokens: 4, seed: 5 });
    expect(result.outputs.map((output: GuideOutputV1) => output.status)).toEqual(['ok', 'ok', 'failed', 'ok', 'failed', 'ok']);
    expect(result.outputs[1]).toEqual({ status: 'ok', text: ' fine' });
    // Requests: 1 + 2 + 3 + 2 + 1 + 1.
    expect(server.requests.length - before).toBe(10);
    expect(guide.stats).toMatchObject({ calls: 6, attempts: 10, retries: 4, succeeded: 4, failed: 2 });
    expect(guide.stats.failuresByKind).toMatchObject({ 'server-error': 4, network: 1, 'malformed-response': 1 });
    const warnings = lines.filter((line) => line.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toMatch(/^hf-endpoint guide: 2 of 6 samples failed after retries \(first: HTTP 500 .*\(after 3 attempts\)\); the trainer falls back to the learner for them/);
    expect(lines.filter((line) => line.level === 'debug')).toHaveLength(4);
  });

  it('throws GuideUnavailableError with one line when onUnavailable is "fail"', async () => {
    scriptByPrompt({ 'fail mode down': [{ kind: 'status', status: 503 }] });
    const { guide } = await createTestGuide({ endpointUrl: server.url, ...fast, onUnavailable: 'fail' });
    const error = await rejectionOf<GuideUnavailableError>(
      guide.doGenerate({ inputs: [{ promptText: 'fail mode fine' }, { promptText: 'fail mode down' }], maxNewTokens: 4, seed: 5 }),
    );
    expect(GuideUnavailableError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      `guide endpoint ${server.url} is unavailable: sample 2 of 2 failed: HTTP 503 (server error): Failed to perform inference: injected HTTP 503 (after 3 attempts)`,
    );
    expect(error.hint).toMatch(/onUnavailable: "fallback"/);
    const good = await guide.doGenerate({ inputs: [{ promptText: 'fail mode fine' }], maxNewTokens: 4, seed: 5 });
    expect(good.outputs[0].status).toBe('ok');
  });

  it('in "fail" mode stops the rest of the batch at the first failure', async () => {
    scriptByPrompt({ 'stop slow': [{ kind: 'slow', delayMs: 60_000 }], 'stop refused': [{ kind: 'status', status: 401 }] });
    const { guide } = await createTestGuide({ endpointUrl: server.url, onUnavailable: 'fail' });
    const error = await rejectionOf(guide.doGenerate({ inputs: [{ promptText: 'stop slow' }, { promptText: 'stop refused' }], maxNewTokens: 4, seed: 5 }));
    expect(GuideUnavailableError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/HTTP 401/);
  });

  it('rejects with the caller\'s reason when the caller aborts', async () => {
    scriptByPrompt({ 'abort slow': [{ kind: 'slow', delayMs: 60_000 }] });
    const { guide } = await createTestGuide({ endpointUrl: server.url });
    const controller = new AbortController();
    const pending = guide.doGenerate({ inputs: [{ promptText: 'abort slow' }], maxNewTokens: 4, seed: 5, abortSignal: controller.signal });
    while (!server.requests.some((request) => request.prompt === 'abort slow')) await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new Error('run stopped'));
    expect((await rejectionOf(pending)).message).toBe('run stopped');
  });
});

describe('hf-endpoint guide: concurrency', () => {
  it('keeps at most `concurrency` requests in flight', async () => {
    let started = () => 0;
    // Answers wait until every request the guide has started has arrived: without a limit all
    // seven would be in flight together.
    const server = await startCompletionServer({ reply: () => ({ kind: 'complete', holdUntil: (state) => state.received === started() }) });
    try {
      const { guide } = await createTestGuide({ endpointUrl: server.url, concurrency: 3 });
      started = () => guide.stats.attempts;
      const result = await guide.doGenerate({ inputs: [1, 2, 3, 4, 5, 6, 7].map((i) => ({ promptText: `p${i}` })), maxNewTokens: 2, seed: 1 });
      expect(result.outputs.every((output) => output.status === 'ok')).toBe(true);
      expect([server.requests.length, server.maxInFlight]).toEqual([7, 3]);
    } finally {
      await server.close();
    }
  });
});
