import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { echoContinuation } from './echo-continuation';

/** Load on the server when a reply is chosen, for replies that wait for other requests. */
export interface CompletionServerState {
  /** Requests received and not yet answered (or dropped). */
  readonly inFlight: number;
  /** Requests received so far. */
  readonly received: number;
}

/**
 * How the server answers one request.
 * - `complete`: a normal OpenAI completions answer, with `text` or the echo continuation; with
 *   `holdUntil`, only once the predicate holds (re-checked when requests arrive or finish);
 * - `slow`: a normal answer after `delayMs` (dropped if the client gives up first);
 * - `status`: an error status with a JSON body, and `Retry-After` when given;
 * - `truncated-json`: 200, `application/json`, a body cut in the middle of the JSON;
 * - `reset`: the connection is destroyed without an answer;
 * - `wrong-content-type`: 200 with an HTML page;
 * - `no-choices`: 200 JSON without `choices`;
 * - `non-string-text`: 200 JSON whose `choices[0].text` is a number;
 * - `raw`: exactly the given status, content type and body.
 */
export type CompletionReply =
  | { readonly kind: 'complete'; readonly text?: string; readonly holdUntil?: (state: CompletionServerState) => boolean }
  | { readonly kind: 'slow'; readonly delayMs: number }
  | { readonly kind: 'status'; readonly status: number; readonly retryAfter?: string; readonly message?: string }
  | { readonly kind: 'truncated-json' }
  | { readonly kind: 'reset' }
  | { readonly kind: 'wrong-content-type' }
  | { readonly kind: 'no-choices' }
  | { readonly kind: 'non-string-text' }
  | { readonly kind: 'raw'; readonly status: number; readonly contentType: string; readonly body: string };

/** One request the server received, in arrival order. */
export interface CompletionRequest {
  /** 0-based arrival index. */
  readonly index: number;
  /** How many earlier requests carried the same prompt (0 on the first), to script retries. */
  readonly attemptOfPrompt: number;
  /**
   * How many earlier requests carried the same prompt and the same `seed` (0 on the first): the
   * retries of one sample, told apart from the same prompt sampled again with another seed.
   */
  readonly attemptOfSample: number;
  readonly method: string;
  /** Path and query as sent. */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** The JSON body, when it parsed to an object. */
  readonly body?: Readonly<Record<string, unknown>>;
  /** `body.prompt` when it is a string. */
  readonly prompt?: string;
}

const json = (res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}) => {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers });
  res.end(body);
};

/** The answer vLLM and TGI give on `/v1/completions`. */
export function completionBody(request: CompletionRequest, text: string): Record<string, unknown> {
  return {
    id: `cmpl-${request.index}`,
    object: 'text_completion',
    created: 1_700_000_000,
    model: typeof request.body?.model === 'string' ? request.body.model : 'unknown',
    choices: [{ index: 0, text, logprobs: null, finish_reason: 'length' }],
    usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
  };
}

/** The default continuation for a request: the echo continuation of its prompt, seed and budget. */
export function defaultCompletionText(request: CompletionRequest): string {
  const seed = typeof request.body?.seed === 'number' ? request.body.seed : 0;
  const maxTokens = typeof request.body?.max_tokens === 'number' ? request.body.max_tokens : 16;
  return echoContinuation(request.prompt ?? '', seed, maxTokens);
}

/** Writes a reply that needs no waiting. */
export function writeImmediateReply(reply: CompletionReply, request: CompletionRequest, res: ServerResponse): void {
  switch (reply.kind) {
    case 'complete':
    case 'slow':
      return json(res, 200, completionBody(request, reply.kind === 'complete' && reply.text !== undefined ? reply.text : defaultCompletionText(request)));
    case 'status':
      return json(res, reply.status, { error: reply.message ?? `injected HTTP ${reply.status}` }, reply.retryAfter === undefined ? {} : { 'Retry-After': reply.retryAfter });
    case 'truncated-json': {
      const whole = JSON.stringify(completionBody(request, defaultCompletionText(request)));
      const body = whole.slice(0, Math.floor(whole.length / 2));
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    case 'reset':
      res.socket?.destroy();
      return;
    case 'wrong-content-type': {
      const page = '<!doctype html><html><body><h1>Welcome</h1></body></html>';
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(page) });
      res.end(page);
      return;
    }
    case 'no-choices':
      return json(res, 200, { id: `cmpl-${request.index}`, object: 'text_completion', created: 1_700_000_000 });
    case 'non-string-text':
      return json(res, 200, { ...completionBody(request, ''), choices: [{ index: 0, text: 42, finish_reason: 'length' }] });
    case 'raw':
      res.writeHead(reply.status, { 'Content-Type': reply.contentType, 'Content-Length': Buffer.byteLength(reply.body) });
      res.end(reply.body);
      return;
  }
}
