import { InvalidArgumentError, type LoggerV1 } from '@rlgf/contracts';
import { silentLogger } from '@rlgf/core';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { hasBearerToken } from '../http/bearer-token';
import { HttpError } from '../http/http-error';
import { sendError, sendJson } from '../http/respond';
import { handleRewards, type RewardScoring } from './rewards-route';

export interface RewardServerOptions {
  readonly scoring: RewardScoring;
  /** Reported as `model_id` in `/info`. */
  readonly modelId: string;
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** Default 0: a free port. */
  readonly port?: number;
  /** When set, `/v1/rewards` and `/info` want `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** Texts one request may send (default 64). */
  readonly maxInputs?: number;
  /** Requests admitted at once, waiting or scoring (default 32); more get 503 + Retry-After. */
  readonly maxConcurrency?: number;
  /** Default 4 MiB. */
  readonly maxBodyBytes?: number;
  readonly logger?: LoggerV1;
}

export interface RewardServer {
  readonly url: string;
  readonly port: number;
  /** Requests admitted and not yet answered (scoring or waiting their turn). */
  readonly activeRequests: number;
  close(): Promise<void>;
}

type Route = (req: IncomingMessage, res: ServerResponse) => Promise<void> | void;

function positive(name: string, value: number | undefined, fallback: number): number {
  const chosen = value ?? fallback;
  if (!Number.isSafeInteger(chosen) || chosen < 1) throw new InvalidArgumentError({ argument: name, value: chosen, expected: 'an integer >= 1' });
  return chosen;
}

/**
 * Serves a reward model: `POST /v1/rewards`, `GET /info`, `GET /health`. Requests are scored one
 * after another (the model uses the whole backend); more than `maxConcurrency` waiting get 503
 * with `Retry-After`, which the reward-model client retries. Binds to 127.0.0.1 unless told.
 */
export async function startRewardServer(options: RewardServerOptions): Promise<RewardServer> {
  const logger = options.logger ?? silentLogger;
  const maxInputs = positive('maxInputs', options.maxInputs, 64);
  const maxConcurrency = positive('maxConcurrency', options.maxConcurrency, 32);
  const maxBodyBytes = positive('maxBodyBytes', options.maxBodyBytes, 4 << 20);
  const notes = new WeakMap<ServerResponse, string>();
  let active = 0;
  let queue: Promise<unknown> = Promise.resolve();
  const scoring: RewardScoring = {
    score: (texts, signal) => {
      const turn = queue.then(() => (signal.aborted ? Promise.reject(signal.reason) : options.scoring.score(texts, signal)));
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
  const routes: Record<string, { readonly method: string; readonly handle: Route }> = {
    '/v1/rewards': { method: 'POST', handle: (req, res) => handleRewards({ scoring, maxBodyBytes, maxInputs, note: (r, text) => notes.set(r, text) }, req, res) },
    '/info': { method: 'GET', handle: (_, res) => sendJson(res, 200, { model_id: options.modelId, model_pipeline_tag: 'text-classification', max_client_batch_size: maxInputs, max_concurrent_requests: maxConcurrency, router: 'rlgf-serve' }) },
    '/health': { method: 'GET', handle: (_, res) => sendJson(res, 200, { status: 'ok' }) },
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, path: string) => {
    // Authentication before routing answers, as in startModelServer: a 404 lists the routes.
    if (options.token !== undefined && path !== '/health' && !hasBearerToken(req.headers.authorization, options.token)) {
      throw new HttpError(401, 'missing or wrong bearer token: send Authorization: Bearer <token>', 'authentication', { 'WWW-Authenticate': 'Bearer' });
    }
    const route = routes[path];
    if (!route) throw new HttpError(404, `no route ${req.method} ${path}; this reward server serves ${Object.keys(routes).join(', ')}`, 'not_found');
    if (req.method !== route.method) throw new HttpError(405, `${path} takes ${route.method}, not ${req.method}`, 'method_not_allowed', { Allow: route.method });
    if (active >= maxConcurrency) throw new HttpError(503, `the server is busy: ${maxConcurrency} requests are in progress; retry later`, 'overloaded', { 'Retry-After': '1' });
    active += 1;
    try {
      await route.handle(req, res);
    } finally {
      active -= 1;
    }
  };

  const server = createServer((req, res) => {
    const started = performance.now();
    // Only the path is logged: never headers (the token) nor bodies.
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    res.on('close', () => {
      const note = notes.get(res);
      logger.info(`${req.method} ${path} ${res.writableFinished ? res.statusCode : 'closed by the client'} ${Math.round(performance.now() - started)} ms${note ? ` (${note})` : ''}`);
    });
    handle(req, res, path).catch((error: unknown) => {
      if (error instanceof HttpError) return sendError(res, error);
      if (res.destroyed) return;
      logger.error(`${req.method} ${path} failed: ${error instanceof Error ? error.message : String(error)}`);
      sendError(res, new HttpError(500, `scoring failed: ${error instanceof Error ? error.message : String(error)}`, 'generation'));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    get activeRequests() {
      return active;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2_000).unref();
      }),
  };
}
