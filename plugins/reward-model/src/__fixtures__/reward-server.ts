import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RewardRequest {
  readonly index: number;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly inputs: readonly string[];
}

/**
 * How the server answers one request: the scores of its inputs, an error status (with
 * `Retry-After`), a body given as is, or a dropped connection.
 */
export type RewardReply =
  | { readonly kind: 'score' }
  | { readonly kind: 'status'; readonly status: number; readonly retryAfter?: string }
  | { readonly kind: 'raw'; readonly body: string }
  | { readonly kind: 'reset' };

export interface RewardServer {
  readonly url: string;
  readonly requests: readonly RewardRequest[];
  /** The most requests in flight at once. */
  readonly maxInFlight: number;
  setReply(reply: (request: RewardRequest) => RewardReply): void;
  close(): Promise<void>;
}

/**
 * A `POST /v1/rewards` server on 127.0.0.1 scoring with `score` (a real reward model in tests),
 * each answer scriptable to inject faults. Answers wait `delayMs` so that requests overlap.
 */
export async function startRewardServer(score: (texts: readonly string[]) => Promise<number[]>, options: { readonly delayMs?: number } = {}): Promise<RewardServer> {
  const requests: RewardRequest[] = [];
  let reply: (request: RewardRequest) => RewardReply = () => ({ kind: 'score' });
  let inFlight = 0;
  let maxInFlight = 0;
  const server = createServer((req, res) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => (inFlight -= 1));
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { inputs: string[] };
      const request: RewardRequest = { index: requests.length, path: req.url ?? '/', headers: req.headers, inputs: body.inputs };
      requests.push(request);
      await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 0));
      const answer = request.path === '/v1/rewards' ? reply(request) : ({ kind: 'status', status: 404 } as const);
      if (answer.kind === 'reset') return res.destroy();
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (answer.kind === 'status') {
        if (answer.retryAfter !== undefined) headers['Retry-After'] = answer.retryAfter;
        res.writeHead(answer.status, headers).end(JSON.stringify({ error: `injected HTTP ${answer.status}` }));
        return;
      }
      const text = answer.kind === 'raw' ? answer.body : JSON.stringify({ rewards: await score(request.inputs) });
      res.writeHead(200, headers).end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    get maxInFlight() {
      return maxInFlight;
    },
    setReply(next) {
      reply = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
