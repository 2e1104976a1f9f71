import { InferenceClient } from '@huggingface/inference';
import { rejectionOf, startCompletionServer, type CompletionReply, type CompletionServer } from '@rlgf/testing';
import { createServer } from 'node:net';
import { classifyFailure, statusOfError, type Failure } from './classify-failure';
import { observeFetch } from './observe-fetch';

const now = Date.UTC(2024, 0, 1);

describe('classifyFailure', () => {
  let server: CompletionServer;
  let client: InferenceClient;
  beforeAll(async () => {
    server = await startCompletionServer();
    client = new InferenceClient('hf_test', { endpointUrl: server.url });
  });
  afterAll(() => server.close());

  /** The failure the real client's error classifies to, when the server answers with `reply`. */
  async function failureOf(reply: CompletionReply, signal?: AbortSignal): Promise<Failure> {
    server.setReply(() => reply);
    const observer = observeFetch(fetch, signal);
    const error = await rejectionOf(client.textGeneration({ inputs: 'x' }, { retry_on_error: false, fetch: observer.fetch }));
    return classifyFailure(error, observer.last(), now);
  }

  it('retries 5xx from @huggingface/inference errors, with the status and server message', async () => {
    expect(await failureOf({ kind: 'status', status: 503 })).toEqual({
      kind: 'server-error',
      retryable: true,
      status: 503,
      message: 'HTTP 503 (server error): Failed to perform inference: injected HTTP 503',
    });
    expect(await failureOf({ kind: 'status', status: 500, message: 'CUDA out of memory' })).toMatchObject({ kind: 'server-error', status: 500, message: expect.stringContaining('CUDA out of memory') });
  });

  it('reads Retry-After of a 429 or 503 from the observed response, in seconds or as an HTTP-date', async () => {
    expect(await failureOf({ kind: 'status', status: 429, retryAfter: '7' })).toMatchObject({ kind: 'rate-limited', retryable: true, status: 429, retryAfterMs: 7000 });
    expect(await failureOf({ kind: 'status', status: 429, retryAfter: 'Mon, 01 Jan 2024 00:00:30 GMT' })).toMatchObject({ retryAfterMs: 30_000 });
    expect(await failureOf({ kind: 'status', status: 503, retryAfter: '20' })).toMatchObject({ kind: 'server-error', retryAfterMs: 20_000, message: expect.stringMatching(/^HTTP 503 \(server error; Retry-After 20000 ms\)/) });
    expect(await failureOf({ kind: 'status', status: 500, retryAfter: '20' })).not.toHaveProperty('retryAfterMs');
    const without = await failureOf({ kind: 'status', status: 429 });
    expect([without.kind, without.retryAfterMs]).toEqual(['rate-limited', undefined]);
  });

  it('never retries other 4xx', async () => {
    for (const status of [400, 401, 403, 404, 422]) {
      expect(await failureOf({ kind: 'status', status })).toMatchObject({ kind: 'client-error', retryable: false, status });
    }
  });

  it('retries a body that does not parse, not one of the wrong shape or content type', async () => {
    expect(await failureOf({ kind: 'truncated-json' })).toMatchObject({ kind: 'malformed-response', retryable: true, message: expect.stringMatching(/^malformed response \(not valid JSON\)/) });
    expect(await failureOf({ kind: 'wrong-content-type' })).toEqual({
      kind: 'malformed-response',
      retryable: false,
      message: 'malformed response: content type text/html; charset=utf-8, expected application/json',
    });
    expect(await failureOf({ kind: 'raw', status: 200, contentType: 'application/json', body: 'null' })).toEqual({
      kind: 'malformed-response',
      retryable: false,
      message: "malformed response: Cannot use 'in' operator to search for 'choices' in null",
    });
    for (const kind of ['no-choices', 'non-string-text'] as const) {
      expect(await failureOf({ kind })).toMatchObject({ kind: 'malformed-response', retryable: false, message: expect.stringContaining('expected {choices: [{text: string}]}') });
    }
  });

  it('retries reset and refused connections', async () => {
    expect(await failureOf({ kind: 'reset' })).toMatchObject({ kind: 'network', retryable: true, message: 'network error: other side closed (UND_ERR_SOCKET)' });
    const closed = createServer();
    const port = await new Promise<number>((resolve) => closed.listen(0, '127.0.0.1', () => resolve((closed.address() as { port: number }).port)));
    await new Promise((resolve) => closed.close(resolve));
    const refused = await rejectionOf(new InferenceClient('', { endpointUrl: `http://127.0.0.1:${port}` }).textGeneration({ inputs: 'x' }, { retry_on_error: false }));
    expect(classifyFailure(refused)).toMatchObject({ kind: 'network', retryable: true, message: expect.stringContaining('ECONNREFUSED') });
  });

  it('retries a TimeoutError from AbortSignal.timeout', async () => {
    expect(await failureOf({ kind: 'slow', delayMs: 60_000 }, AbortSignal.timeout(20))).toMatchObject({ kind: 'timeout', retryable: true });
  });

  it('does not retry client misuse or unknown errors', async () => {
    const misuse = await rejectionOf(client.textGeneration({ model: 'https://example.invalid/model', inputs: 'x' }));
    expect(classifyFailure(misuse)).toMatchObject({ kind: 'unexpected', retryable: false, message: expect.stringContaining('Model URLs are no longer supported') });
    expect(classifyFailure(new RangeError('bug'))).toEqual({ kind: 'unexpected', retryable: false, message: 'bug' });
    expect(classifyFailure('a string')).toMatchObject({ kind: 'unexpected', message: 'a string' });
  });

  it('takes the status from other clients\' errors, or from the observed response when the error lost it', () => {
    expect(statusOfError(Object.assign(new Error('x'), { statusCode: 404 }))).toBe(404);
    expect(statusOfError({ response: { status: 502 } })).toBe(502);
    expect(statusOfError({ status: 'bad' })).toBeUndefined();
    const observed = { status: 502, headers: new Headers() };
    expect(classifyFailure(new SyntaxError('Unexpected end of JSON input'), observed, now)).toMatchObject({ kind: 'server-error', status: 502 });
    const limited = Object.assign(new Error('slow down'), { status: 429, headers: { 'retry-after': '4' } });
    expect(classifyFailure(limited, undefined, now)).toMatchObject({ kind: 'rate-limited', retryAfterMs: 4000 });
  });
});
