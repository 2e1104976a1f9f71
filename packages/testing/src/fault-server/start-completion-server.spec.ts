import { completionBody, type CompletionReply } from './completion-replies';
import { echoContinuation } from './echo-continuation';
import { startCompletionServer, type CompletionServer } from './start-completion-server';

describe('completion fault server', () => {
  let server: CompletionServer;
  beforeEach(async () => {
    server = await startCompletionServer({ token: 'tok' });
  });
  afterEach(() => server.close());

  const post = (body: unknown, token = 'tok') =>
    fetch(`${server.url}/v1/completions`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });

  it('answers like an OpenAI completions server with the echo continuation, and records requests', async () => {
    const response = await post({ model: 'm', prompt: 'Hi', max_tokens: 3, seed: 5 });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    const body = (await response.json()) as { choices: { text: string }[]; model: string };
    expect(body.choices[0].text).toBe(echoContinuation('Hi', 5, 3));
    expect(body.model).toBe('m');
    expect(server.requests).toEqual([expect.objectContaining({ index: 0, attemptOfPrompt: 0, method: 'POST', url: '/v1/completions', prompt: 'Hi' })]);
    expect(server.requests[0].headers.authorization).toBe('Bearer tok');
  });

  it('makes echo continuations depend on prompt, seed and budget', () => {
    expect(echoContinuation('a', 1, 4).split(' ')).toHaveLength(5);
    expect(echoContinuation('a', 1, 100).split(' ')).toHaveLength(9);
    expect(echoContinuation('a', 1, 0)).toBe('');
    expect(new Set([echoContinuation('a', 1, 8), echoContinuation('b', 1, 8), echoContinuation('a', 2, 8)]).size).toBe(3);
  });

  it('refuses a wrong token, other routes and bodies that are not JSON objects', async () => {
    expect((await post({ prompt: 'x' }, 'other')).status).toBe(401);
    expect((await fetch(`${server.url}/generate`, { method: 'POST', body: '{}' })).status).toBe(404);
    expect((await post([1, 2])).status).toBe(400);
  });

  it('counts attempts per prompt and injects each scripted fault', async () => {
    const script: CompletionReply[] = [
      { kind: 'status', status: 429, retryAfter: '3' },
      { kind: 'truncated-json' },
      { kind: 'wrong-content-type' },
      { kind: 'no-choices' },
      { kind: 'non-string-text' },
      { kind: 'complete', text: 'fixed' },
      { kind: 'raw', status: 202, contentType: 'text/plain', body: 'as is' },
    ];
    server.setReply((request) => script[request.attemptOfPrompt]);
    const limited = await post({ prompt: 'p' });
    expect([limited.status, limited.headers.get('retry-after'), await limited.json()]).toEqual([429, '3', { error: 'injected HTTP 429' }]);
    // fetch's errors come from Node's realm, not jest's: compare names, not constructors.
    expect(await (await post({ prompt: 'p' })).json().catch((error: Error) => error.name)).toBe('SyntaxError');
    const page = await post({ prompt: 'p' });
    expect([page.status, page.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
    expect(await (await post({ prompt: 'p' })).json()).not.toHaveProperty('choices');
    expect(((await (await post({ prompt: 'p' })).json()) as { choices: { text: unknown }[] }).choices[0].text).toBe(42);
    expect(await (await post({ prompt: 'p' })).json()).toEqual(completionBody(server.requests[5], 'fixed'));
    const raw = await post({ prompt: 'p' });
    expect([raw.status, raw.headers.get('content-type'), await raw.text()]).toEqual([202, 'text/plain', 'as is']);
    expect(server.requests.map((request) => request.attemptOfPrompt)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('counts attempts per sample: the same prompt with the same seed', async () => {
    for (const body of [{ prompt: 'p', seed: 1 }, { prompt: 'p', seed: 2 }, { prompt: 'p', seed: 1 }, { prompt: 'q', seed: 1 }, { prompt: 'p' }, { prompt: 'p' }]) await post(body);
    expect(server.requests.map((request) => [request.attemptOfPrompt, request.attemptOfSample])).toEqual([
      [0, 0],
      [1, 0],
      [2, 1],
      [0, 0],
      [3, 0],
      [4, 1],
    ]);
  });

  it('resets connections and drops slow answers the client gave up on', async () => {
    server.setReply((request) => (request.prompt === 'reset' ? { kind: 'reset' } : { kind: 'slow', delayMs: 60_000 }));
    const reset = await post({ prompt: 'reset' }).catch((error: unknown) => error);
    expect((reset as Error).name).toBe('TypeError');
    const slow = await fetch(`${server.url}/v1/completions`, {
      method: 'POST',
      headers: { Authorization: 'Bearer tok' },
      body: JSON.stringify({ prompt: 'slow' }),
      signal: AbortSignal.timeout(50),
    }).catch((error: unknown) => error);
    expect((slow as Error).name).toBe('TimeoutError');
  });

  it('holds answers until a condition on the load holds, and tracks the most in flight', async () => {
    server.setReply(() => ({ kind: 'complete', holdUntil: (state) => state.inFlight >= 3 }));
    const answers = await Promise.all([1, 2, 3].map((i) => post({ prompt: `p${i}` }).then((response) => response.status)));
    expect(answers).toEqual([200, 200, 200]);
    expect(server.maxInFlight).toBe(3);
  });
});
