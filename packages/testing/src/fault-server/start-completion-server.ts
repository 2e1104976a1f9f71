import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeImmediateReply, type CompletionReply, type CompletionRequest, type CompletionServerState } from './completion-replies';

export interface CompletionServerOptions {
  /** Chooses the answer to each request. Default: a normal completion. */
  readonly reply?: (request: CompletionRequest) => CompletionReply;
  /** When set, requests must carry `Authorization: Bearer <token>`, else 401. */
  readonly token?: string;
}

export interface CompletionServer {
  /** Base URL, e.g. `http://127.0.0.1:41234` (the routes are `/v1/completions` and `/v1/chat/completions`). */
  readonly url: string;
  /** Every request so far, live. */
  readonly requests: readonly CompletionRequest[];
  readonly inFlight: number;
  /** The most requests ever in flight at once. */
  readonly maxInFlight: number;
  /** Replaces the reply function for later requests. */
  setReply(reply: (request: CompletionRequest) => CompletionReply): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The content of the last message of a chat request, when it is text. */
function lastMessageContent(body: Record<string, unknown> | undefined): string | undefined {
  const messages = body?.messages;
  if (!Array.isArray(messages) || messages.length === 0) return undefined;
  const content = (messages[messages.length - 1] as { content?: unknown } | null)?.content;
  return typeof content === 'string' ? content : undefined;
}

/**
 * An OpenAI-style completion server on 127.0.0.1 (the `/v1/completions` and `/v1/chat/completions`
 * routes that vLLM and TGI serve) whose every answer can be scripted: normal, slow, an error status, a truncated body, a
 * reset connection, the wrong content type or shape. It records requests and the most it had in
 * flight at once, for tests of clients, retries and concurrency limits.
 */
export async function startCompletionServer(options: CompletionServerOptions = {}): Promise<CompletionServer> {
  let chooseReply = options.reply ?? (() => ({ kind: 'complete' }) as const);
  const requests: CompletionRequest[] = [];
  const promptCounts = new Map<string, number>();
  const sampleCounts = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  const holds = new Set<() => boolean>();
  let inFlight = 0;
  let maxInFlight = 0;
  const state = (): CompletionServerState => ({ inFlight, received: requests.length });
  // Releases held replies whose condition now holds.
  const recheckHolds = () => {
    for (const hold of [...holds]) if (hold()) holds.delete(hold);
  };

  const answer = (reply: CompletionReply, request: CompletionRequest, res: ServerResponse) => {
    if (reply.kind === 'slow') {
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!res.destroyed) writeImmediateReply(reply, request, res);
      }, reply.delayMs);
      timers.add(timer);
      res.on('close', () => {
        clearTimeout(timer);
        timers.delete(timer);
      });
      return;
    }
    const condition = reply.kind === 'complete' ? reply.holdUntil : undefined;
    if (!condition) return writeImmediateReply(reply, request, res);
    const hold = () => {
      if (res.destroyed) return true;
      if (!condition(state())) return false;
      writeImmediateReply(reply, request, res);
      return true;
    };
    if (!hold()) holds.add(hold);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const text = await readBody(req);
    const body = parseObject(text);
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const route = path === '/v1/chat/completions' ? 'chat' : 'completions';
    const prompt = route === 'chat' ? lastMessageContent(body) : typeof body?.prompt === 'string' ? body.prompt : undefined;
    const attemptOfPrompt = prompt === undefined ? 0 : (promptCounts.get(prompt) ?? 0);
    if (prompt !== undefined) promptCounts.set(prompt, attemptOfPrompt + 1);
    const sample = prompt === undefined ? undefined : `${prompt}\u0000${String(body?.seed)}`;
    const attemptOfSample = sample === undefined ? 0 : (sampleCounts.get(sample) ?? 0);
    if (sample !== undefined) sampleCounts.set(sample, attemptOfSample + 1);
    const request: CompletionRequest = { index: requests.length, attemptOfPrompt, attemptOfSample, method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body, prompt, route };
    requests.push(request);
    recheckHolds();
    if (req.method !== 'POST' || (path !== '/v1/completions' && path !== '/v1/chat/completions')) {
      return writeImmediateReply({ kind: 'status', status: 404, message: `no route ${req.method} ${request.url}` }, request, res);
    }
    if (options.token !== undefined && req.headers.authorization !== `Bearer ${options.token}`) {
      return writeImmediateReply({ kind: 'status', status: 401, message: 'Authorization header is invalid' }, request, res);
    }
    if (!body) return writeImmediateReply({ kind: 'status', status: 400, message: 'body is not a JSON object' }, request, res);
    answer(chooseReply(request), request, res);
  };

  const server = createServer((req, res) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => {
      inFlight -= 1;
      recheckHolds();
    });
    handle(req, res).catch(() => res.destroy());
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    setReply(reply) {
      chooseReply = reply;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        holds.clear();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
