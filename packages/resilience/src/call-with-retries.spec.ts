import { InvalidArgumentError } from '@rlgf/contracts';
import { createVirtualClock, rejectionOf, startCompletionServer, type CompletionReply, type CompletionServer } from '@rlgf/testing';
import { createCallStats } from './call-stats';
import { callWithRetries, type AttemptContext, type CallOptions } from './call-with-retries';
import { systemClock } from './clock';
import { createConcurrencyLimiter } from './concurrency-limiter';
import { createDeadline } from './deadline';

const policy = { retries: 3, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 10_000 };

/** Returns the given values in turn: a random source whose draws a test can predict. */
function draws(...values: number[]): () => number {
  let next = 0;
  return () => values[next++ % values.length];
}

describe('callWithRetries', () => {
  let server: CompletionServer;
  beforeAll(async () => {
    server = await startCompletionServer();
  });
  afterAll(() => server.close());

  /** Scripts the server's answers per attempt of the prompt; the last entry repeats. */
  function script(...replies: CompletionReply[]): void {
    server.setReply((request) => replies[Math.min(request.attemptOfPrompt, replies.length - 1)]);
  }

  let promptNumber = 0;
  /** An attempt that posts one fresh prompt through the context's fetch and returns the text. */
  function completion(): (context: AttemptContext) => Promise<string> {
    const prompt = `prompt ${promptNumber++}`;
    return async ({ fetch, signal }) => {
      const response = await fetch(`${server.url}/v1/completions`, { method: 'POST', body: JSON.stringify({ prompt, max_tokens: 2 }), signal });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const body = (await response.json()) as { choices: { text: string }[] };
      return body.choices[0].text;
    };
  }

  function options(overrides: Partial<CallOptions> = {}): CallOptions & { clock: ReturnType<typeof createVirtualClock> } {
    return { policy, clock: createVirtualClock(), random: draws(0.5, 0.25, 0.75), stats: createCallStats(), ...overrides } as CallOptions & {
      clock: ReturnType<typeof createVirtualClock>;
    };
  }

  it('returns the first success without waiting', async () => {
    script({ kind: 'complete', text: ' ok' });
    const settings = options();
    expect(await callWithRetries(completion(), settings)).toEqual({ ok: true, value: ' ok', attempts: 1 });
    expect(settings.clock.sleeps).toEqual([]);
    expect(settings.stats).toMatchObject({ calls: 1, attempts: 1, retries: 0, succeeded: 1, failed: 0, backoffMs: 0 });
  });

  it('retries 503s with full-jitter backoff until the server answers', async () => {
    script({ kind: 'status', status: 503 }, { kind: 'status', status: 503 }, { kind: 'complete', text: ' fine' });
    const settings = options();
    expect(await callWithRetries(completion(), settings)).toEqual({ ok: true, value: ' fine', attempts: 3 });
    // floor(0.5 · min(1000, 100·2^0)), floor(0.25 · min(1000, 100·2^1)).
    expect(settings.clock.sleeps).toEqual([50, 50]);
    expect(settings.stats).toMatchObject({ attempts: 3, retries: 2, succeeded: 1, backoffMs: 100 });
    expect(settings.stats?.failuresByKind['server-error']).toBe(2);
  });

  it('waits what Retry-After asks for, in seconds or as a date, up to the cap', async () => {
    script({ kind: 'status', status: 429, retryAfter: '2' }, { kind: 'status', status: 429, retryAfter: 'Mon, 01 Jan 2024 00:00:07 GMT' }, { kind: 'status', status: 429, retryAfter: '3600' }, { kind: 'complete' });
    const settings = options();
    const events: number[] = [];
    const outcome = await callWithRetries(completion(), { ...settings, onRetry: (event) => events.push(event.delayMs) });
    expect(outcome).toMatchObject({ ok: true, attempts: 4 });
    // The clock starts at 00:00:00; after waiting 2 s the date asks for 5 s more; 3600 s is capped.
    expect(settings.clock.sleeps).toEqual([2000, 5000, 10_000]);
    expect(events).toEqual([2000, 5000, 10_000]);
    expect(settings.stats?.failuresByKind['rate-limited']).toBe(3);
  });

  it('gives up at once on other 4xx', async () => {
    script({ kind: 'status', status: 404 });
    const settings = options();
    const outcome = await callWithRetries(completion(), settings);
    expect(outcome).toEqual({ ok: false, attempts: 1, failure: { kind: 'client-error', retryable: false, status: 404, message: 'HTTP 404 (request refused): HTTP 404' } });
    expect(settings.clock.sleeps).toEqual([]);
    expect(settings.stats).toMatchObject({ attempts: 1, failed: 1 });
  });

  it('reports the last failure once the retries are spent', async () => {
    script({ kind: 'reset' }, { kind: 'status', status: 500 });
    const settings = options({ policy: { ...policy, retries: 2 } });
    const outcome = await callWithRetries(completion(), settings);
    expect(outcome).toMatchObject({ ok: false, attempts: 3, failure: { kind: 'server-error', status: 500 } });
    expect(settings.clock.sleeps).toEqual([50, 50]);
    expect(settings.stats?.failuresByKind).toMatchObject({ network: 1, 'server-error': 2 });
    expect(settings.stats).toMatchObject({ calls: 1, attempts: 3, retries: 2, succeeded: 0, failed: 1 });
  });

  it('cuts an attempt at its time limit and retries it', async () => {
    script({ kind: 'slow', delayMs: 60_000 }, { kind: 'complete', text: ' late' });
    const settings = options({ policy: { ...policy, timeoutMs: 300 } });
    expect(await callWithRetries(completion(), settings)).toEqual({ ok: true, value: ' late', attempts: 2 });
    expect(settings.stats?.failuresByKind.timeout).toBe(1);
  });

  it('stops before a wait that would pass the deadline', async () => {
    script({ kind: 'status', status: 429, retryAfter: '5' });
    const settings = options();
    const deadline = createDeadline(4000, settings.clock);
    try {
      const outcome = await callWithRetries(completion(), { ...settings, deadline });
      expect(outcome).toMatchObject({ ok: false, attempts: 1, failure: { kind: 'rate-limited', message: expect.stringContaining('waiting 5000 ms to retry would pass the 4000 ms deadline') } });
      expect(settings.clock.sleeps).toEqual([]);
    } finally {
      deadline.dispose();
    }
  });

  it('ends an attempt in flight when the deadline passes, without retrying', async () => {
    script({ kind: 'slow', delayMs: 60_000 });
    const deadline = createDeadline(30, systemClock);
    const settings = options({ clock: undefined });
    const outcome = await callWithRetries(completion(), { ...settings, clock: systemClock, deadline });
    deadline.dispose();
    expect(outcome).toEqual({ ok: false, attempts: 1, failure: { kind: 'deadline', retryable: false, message: 'deadline of 30 ms passed' } });
    expect(settings.stats?.failuresByKind.deadline).toBe(1);
  });

  it('rethrows the caller\'s abort, before or during an attempt', async () => {
    const before = new AbortController();
    before.abort(new Error('cancelled early'));
    expect((await rejectionOf(callWithRetries(completion(), options({ signal: before.signal })))).message).toBe('cancelled early');
    script({ kind: 'slow', delayMs: 60_000 });
    const during = new AbortController();
    const call = callWithRetries(completion(), options({ signal: during.signal }));
    while (server.inFlight === 0) await new Promise((resolve) => setImmediate(resolve));
    during.abort(new Error('cancelled'));
    expect((await rejectionOf(call)).message).toBe('cancelled');
  });

  it('holds each attempt back until the limiter has a slot', async () => {
    const limiter = createConcurrencyLimiter(2);
    // Answers wait until all five requests arrived, or until two are in flight while others queue
    // in the limiter: a client without the limit would have all five in flight at once.
    const own = await startCompletionServer({
      reply: () => ({ kind: 'complete', holdUntil: (state) => state.received === 5 || (state.inFlight >= 2 && limiter.waiting > 0) }),
    });
    try {
      const post = async ({ fetch }: AttemptContext) => (await fetch(`${own.url}/v1/completions`, { method: 'POST', body: '{"prompt":"p"}' })).status;
      const outcomes = await Promise.all([0, 1, 2, 3, 4].map(() => callWithRetries(post, options({ limiter }))));
      expect(outcomes.map((outcome) => outcome.ok && outcome.value)).toEqual([200, 200, 200, 200, 200]);
      expect([own.requests.length, own.maxInFlight, limiter.maxInFlight]).toEqual([5, 2, 2]);
    } finally {
      await own.close();
    }
  });

  it('rejects a policy it cannot follow', async () => {
    await expect(callWithRetries(completion(), options({ policy: { ...policy, retries: -1 } }))).rejects.toThrow(InvalidArgumentError);
    await expect(callWithRetries(completion(), options({ policy: { ...policy, timeoutMs: 0 } }))).rejects.toThrow(/timeoutMs/);
  });
});
