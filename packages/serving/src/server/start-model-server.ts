import { InvalidArgumentError } from '@rlgf/contracts';
import { silentLogger } from '@rlgf/core';
import { activeBackend } from '@rlgf/models';
import { randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { infoResponse, modelsResponse } from '../api/info-route';
import type { ServingLimits } from '../api/serving-limits';
import { GenerationQueue, type GenerationQueueStats } from '../batching/generation-queue';
import { generateRows } from '../generation/generate-rows';
import type { GeneratedRow, GenerationRow } from '../generation/generation-row';
import { hasBearerToken } from '../http/bearer-token';
import { HttpError } from '../http/http-error';
import { sendError, sendJson } from '../http/respond';
import { handleChat, handleCompletions, handleTgiGenerate, type GenerationContext } from './generation-routes';
import { resolveServerSettings, type ModelServerOptions } from './server-settings';

export interface ModelServer {
  /** Base URL clients use, e.g. `http://127.0.0.1:8080`. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Batching counters (model calls, rows, queue). */
  readonly stats: GenerationQueueStats;
  /**
   * Requests each generation route received (token checked, before the body is read), also in
   * `GET /info` as `stats.requests`: what a client sent, counted on the server.
   */
  readonly requests: Readonly<Record<GenerationPath, number>>;
  /** Stops accepting requests, fails queued ones with 503, finishes the running batch, closes. */
  close(): Promise<void>;
}

const serverVersion = '0.1.0';

const generationPaths = ['/v1/completions', '/v1/chat/completions', '/generate'] as const;
type GenerationPath = (typeof generationPaths)[number];

type Route = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

/** Why the server could not listen, with the fix. */
function listenError(error: NodeJS.ErrnoException, host: string, port: number): Error {
  if (error.code === 'EADDRINUSE') return new InvalidArgumentError({ argument: 'port', value: port, expected: `a port free on ${host}`, hint: 'pick another --port, or 0 for any free one' });
  if (error.code === 'EACCES') return new InvalidArgumentError({ argument: 'port', value: port, expected: 'a port this user may open', hint: 'ports below 1024 need privileges: pick one above' });
  if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND') {
    return new InvalidArgumentError({ argument: 'host', value: host, expected: 'an address of this machine', hint: 'use 127.0.0.1 (this machine only) or 0.0.0.0 (every interface)' });
  }
  return error;
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Serves a local model over the routes TGI and vLLM users expect: `POST /v1/completions` and
 * `POST /v1/chat/completions` (OpenAI, with `n` and `stream`), `POST /generate` (TGI), `GET /info`, `GET /health`, `GET /v1/models`. Concurrent
 * requests are batched (see {@link GenerationQueue}); every refusal is a JSON error with a status
 * (400, 401, 404, 405, 413, 422, 503), never a crash. Binds to 127.0.0.1 unless told otherwise.
 */
export async function startModelServer(options: ModelServerOptions): Promise<ModelServer> {
  const settings = resolveServerSettings(options);
  const { model, logger = silentLogger } = options;
  const limits: ServingLimits = {
    maxNewTokens: settings.maxNewTokens,
    maxInputTokens: model.info.maxPositions - 1,
    maxPromptChars: settings.maxPromptChars,
    maxTotalTokens: model.info.maxPositions,
    maxStopSequences: settings.maxStopSequences,
    maxPrompts: settings.maxBatch,
  };
  const generateBatch = options.generateBatch ?? ((rows: readonly GenerationRow[]) => generateRows(model, rows));
  const queue = new GenerationQueue<GenerationRow, GeneratedRow>((rows) => generateBatch(rows), {
    maxBatchRows: settings.maxBatch,
    batchWindowMs: settings.batchWindowMs,
    maxRequests: settings.maxConcurrency,
    // One session holds every row's prompt and budget in the model's positions.
    fits: (batch, row) =>
      Math.max(row.promptIds.length, ...batch.map((r) => r.promptIds.length)) + Math.max(row.maxNewTokens, ...batch.map((r) => r.maxNewTokens)) <=
      model.info.maxPositions,
  });
  const notes = new WeakMap<ServerResponse, string>();
  const context: GenerationContext = {
    modelId: options.modelId,
    tokenizer: model.tokenizer,
    limits,
    maxBodyBytes: settings.maxBodyBytes,
    maxConcurrency: settings.maxConcurrency,
    queue,
    randomSeed: options.randomSeed ?? (() => randomInt(0, 2 ** 32)),
    now: () => Date.now(),
    note: (res, text) => notes.set(res, text),
    renderChat: options.renderChat,
  };
  const startedMs = Date.now();
  const requests = Object.fromEntries(generationPaths.map((path) => [path, 0])) as Record<GenerationPath, number>;
  const routes: Record<string, { readonly method: string; readonly handle: Route }> = {
    '/v1/completions': { method: 'POST', handle: (req, res) => handleCompletions(context, req, res) },
    '/v1/chat/completions': { method: 'POST', handle: (req, res) => handleChat(context, req, res) },
    '/generate': { method: 'POST', handle: (req, res) => handleTgiGenerate(context, req, res) },
    '/info': {
      method: 'GET',
      handle: (_, res) =>
        sendJson(
          res,
          200,
          infoResponse({
            modelId: options.modelId,
            modelType: model.info.modelType,
            backend: activeBackend(),
            version: serverVersion,
            limits,
            maxConcurrentRequests: settings.maxConcurrency,
            maxBatchSize: settings.maxBatch,
            stats: queue.stats,
            requests: { ...requests },
          }),
        ),
    },
    '/health': { method: 'GET', handle: (_, res) => sendJson(res, 200, { status: 'ok' }) },
    '/v1/models': { method: 'GET', handle: (_, res) => sendJson(res, 200, modelsResponse(options.modelId, startedMs)) },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    // The token is checked before routing, on every path but /health: a 404 or 405 lists the
    // routes, which is for clients with the token. (vLLM's --api-key guards only /v1/* and its
    // security guide says not to rely on it; /generate and /info are outside /v1 here.) Health
    // checks of load balancers carry no token, and /health tells nothing about the model.
    if (settings.token !== undefined && path !== '/health' && !hasBearerToken(req.headers.authorization, settings.token)) {
      throw new HttpError(401, 'missing or wrong bearer token: send Authorization: Bearer <token> (the --token rlgf serve was started with)', 'authentication', {
        'WWW-Authenticate': 'Bearer',
      });
    }
    const route = routes[path];
    if (!route) throw new HttpError(404, `no route ${req.method} ${path}; this server serves ${Object.keys(routes).join(', ')}`, 'not_found');
    if (req.method !== route.method) throw new HttpError(405, `${path} takes ${route.method}, not ${req.method}`, 'method_not_allowed', { Allow: route.method });
    if (path in requests) requests[path as GenerationPath]++;
    await route.handle(req, res);
  };

  let answering = 0;
  let closing = false;
  const server = createServer((req, res) => {
    const started = performance.now();
    answering++;
    // Only the path is logged: never headers (the token) nor the query.
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    res.on('close', () => {
      answering--;
      // Keep-alive connections (and ones a client opened in advance) would hold a closing server
      // open: once nothing is left to answer, drop them all, on the next turn so this answer is flushed.
      if (closing && answering === 0) setImmediate(() => server.closeAllConnections());
      const status = res.writableFinished ? String(res.statusCode) : 'closed by the client';
      const note = notes.get(res);
      logger.info(`${req.method} ${path} ${status} ${Math.round(performance.now() - started)} ms${note ? ` (${note})` : ''}`);
    });
    handle(req, res, path).catch((error: unknown) => {
      if (error instanceof HttpError) return sendError(res, error);
      if (res.destroyed) return;
      logger.error(`${req.method} ${path} failed: ${error instanceof Error ? error.message : String(error)}`);
      sendError(res, new HttpError(500, `generation failed: ${error instanceof Error ? error.message : String(error)}`, 'generation'));
    });
  });

  await new Promise<void>((resolve, reject) => {
    const refuse = (error: NodeJS.ErrnoException) => reject(listenError(error, settings.host, settings.port));
    server.once('error', refuse);
    server.listen(settings.port, settings.host, () => {
      server.off('error', refuse);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${urlHost(settings.host)}:${port}`,
    host: settings.host,
    port,
    get stats() {
      return queue.stats;
    },
    get requests() {
      return { ...requests };
    },
    async close() {
      closing = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await queue.close(new HttpError(503, 'the server is shutting down', 'unavailable', { 'Retry-After': '5' }));
      if (answering === 0) server.closeAllConnections();
      // A client that keeps a request open without sending its body does not hold the shutdown.
      const grace = setTimeout(() => server.closeAllConnections(), 10_000);
      await closed;
      clearTimeout(grace);
    },
  };
}
