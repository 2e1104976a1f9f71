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
 * - `raw`: exactly the given status, content type and body;
 * - `cut-mid-body`: 200 announcing the whole body's length, half of it sent, then the connection
 *   dropped (an answer cut mid-stream);
 * - `no-text`: 200 with a well-formed answer whose text is missing (`content: null` on the chat
 *   route, as a refusal or a tool call has it).
 *
 * On `/v1/chat/completions` the same replies take the chat shape; `complete` may also set the
 * `usage` it reports (default: whitespace-separated words of the messages and of the text;
 * `null` sends none).
 */
export type CompletionReply =
  | {
      readonly kind: 'complete';
      readonly text?: string;
      readonly holdUntil?: (state: CompletionServerState) => boolean;
      readonly usage?: { readonly promptTokens: number; readonly completionTokens: number } | null;
    }
  | { readonly kind: 'slow'; readonly delayMs: number }
  | { readonly kind: 'status'; readonly status: number; readonly retryAfter?: string; readonly message?: string }
  | { readonly kind: 'truncated-json' }
  | { readonly kind: 'reset' }
  | { readonly kind: 'wrong-content-type' }
  | { readonly kind: 'no-choices' }
  | { readonly kind: 'non-string-text' }
  | { readonly kind: 'raw'; readonly status: number; readonly contentType: string; readonly body: string }
  | { readonly kind: 'cut-mid-body' }
  | { readonly kind: 'no-text' };

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
  /**
   * `body.prompt` when it is a string; on the chat route, the content of the last message (the
   * text a guide asks to continue, or the assistant prefill).
   */
  readonly prompt?: string;
  /** Which OpenAI route was called. */
  readonly route: 'completions' | 'chat';
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

/** Whitespace-separated words: the token count the chat route reports by default. */
const words = (text: string) => text.split(/\s+/).filter((word) => word !== '').length;

function messagesText(request: CompletionRequest): string {
  const messages = Array.isArray(request.body?.messages) ? (request.body.messages as unknown[]) : [];
  return messages.map((message) => (typeof (message as { content?: unknown })?.content === 'string' ? (message as { content: string }).content : '')).join(' ');
}

/** The answer vLLM and OpenAI give on `/v1/chat/completions`. */
export function chatCompletionBody(request: CompletionRequest, content: string | null, usage?: { readonly promptTokens: number; readonly completionTokens: number } | null): Record<string, unknown> {
  const counted = usage === undefined ? { promptTokens: words(messagesText(request)), completionTokens: words(content ?? '') } : usage;
  return {
    id: `chatcmpl-${request.index}`,
    object: 'chat.completion',
    created: 1_700_000_000,
    model: typeof request.body?.model === 'string' ? request.body.model : 'unknown',
    choices: [{ index: 0, message: { role: 'assistant', content }, logprobs: null, finish_reason: 'length' }],
    ...(counted === null
      ? {}
      : { usage: { prompt_tokens: counted.promptTokens, completion_tokens: counted.completionTokens, total_tokens: counted.promptTokens + counted.completionTokens } }),
  };
}

/** The default answer text: the echo continuation, without its leading space on the chat route (chat replies start with a word). */
function defaultText(request: CompletionRequest): string {
  const text = defaultCompletionText(request);
  return request.route === 'chat' ? text.trimStart() : text;
}

function answerBody(request: CompletionRequest, text: string): Record<string, unknown> {
  return request.route === 'chat' ? chatCompletionBody(request, text) : completionBody(request, text);
}

/** Writes a reply that needs no waiting. */
export function writeImmediateReply(reply: CompletionReply, request: CompletionRequest, res: ServerResponse): void {
  switch (reply.kind) {
    case 'complete':
    case 'slow': {
      const text = reply.kind === 'complete' && reply.text !== undefined ? reply.text : defaultText(request);
      if (request.route === 'chat' && reply.kind === 'complete') return json(res, 200, chatCompletionBody(request, text, reply.usage));
      return json(res, 200, answerBody(request, text));
    }
    case 'status':
      return json(res, reply.status, { error: reply.message ?? `injected HTTP ${reply.status}` }, reply.retryAfter === undefined ? {} : { 'Retry-After': reply.retryAfter });
    case 'truncated-json': {
      const whole = JSON.stringify(answerBody(request, defaultText(request)));
      const body = whole.slice(0, Math.floor(whole.length / 2));
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
      res.end(body);
      return;
    }
    case 'cut-mid-body': {
      const whole = JSON.stringify(answerBody(request, defaultText(request)));
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(whole) });
      res.write(whole.slice(0, Math.floor(whole.length / 2)), () => res.socket?.destroy());
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
      return json(res, 200, { id: `cmpl-${request.index}`, object: request.route === 'chat' ? 'chat.completion' : 'text_completion', created: 1_700_000_000 });
    case 'non-string-text':
      if (request.route === 'chat') return json(res, 200, { ...chatCompletionBody(request, ''), choices: [{ index: 0, message: { role: 'assistant', content: 42 }, finish_reason: 'length' }] });
      return json(res, 200, { ...completionBody(request, ''), choices: [{ index: 0, text: 42, finish_reason: 'length' }] });
    case 'no-text':
      if (request.route === 'chat') return json(res, 200, chatCompletionBody(request, null));
      return json(res, 200, { ...completionBody(request, ''), choices: [{ index: 0, finish_reason: 'stop' }] });
    case 'raw':
      res.writeHead(reply.status, { 'Content-Type': reply.contentType, 'Content-Length': Buffer.byteLength(reply.body) });
      res.end(reply.body);
      return;
  }
}
