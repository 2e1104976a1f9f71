import { createServer, type OutgoingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the proxy does to one answer of the upstream Hub server:
 * - `status`: answers this status itself (a JSON error, with `headers`), upstream is not asked;
 * - `truncate-without-length`: sends only the first `bytes` bytes, with no Content-Length, and
 *   closes the connection: to the client a complete, shorter body;
 * - `short-content-length`: announces and sends only the first `bytes` bytes;
 * - `alter-byte`: same length, first byte changed (content that does not match its etag);
 * - `drop-linked-size`: passes the answer on without `X-Linked-Size`, so only the etag can tell.
 */
export type Fault =
  | { readonly kind: 'status'; readonly status: number; readonly headers?: Readonly<Record<string, string>> }
  | { readonly kind: 'truncate-without-length'; readonly bytes: number }
  | { readonly kind: 'short-content-length'; readonly bytes: number }
  | { readonly kind: 'alter-byte' }
  | { readonly kind: 'drop-linked-size' };

export interface FaultProxy {
  readonly url: string;
  /** Paths requested through the proxy, in order. */
  readonly requests: string[];
  close(): Promise<void>;
}

// Hop-by-hop and length headers are the proxy's own to set.
const dropped = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'content-encoding']);

/**
 * A loopback HTTP proxy in front of `upstream` (a `startHubServer`) that applies `faultFor` to
 * each request, by path and query. Redirects are rewritten to stay on the proxy, so the CDN hop of
 * an LFS file passes through it too.
 */
export async function startFaultProxy(upstream: string, faultFor: (path: string) => Fault | undefined): Promise<FaultProxy> {
  const requests: string[] = [];
  let self = '';
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    requests.push(path);
    const fault = faultFor(path);
    if (fault?.kind === 'status') {
      res.writeHead(fault.status, { 'Content-Type': 'application/json', ...fault.headers });
      res.end(JSON.stringify({ error: `injected ${fault.status}` }));
      return;
    }
    const headers: Record<string, string> = req.headers.authorization ? { authorization: req.headers.authorization } : {};
    fetch(`${upstream}${path}`, { redirect: 'manual', headers })
      .then(async (answer) => {
        let body = Buffer.from(await answer.arrayBuffer());
        const out: OutgoingHttpHeaders = {};
        answer.headers.forEach((value, name) => {
          if (!dropped.has(name)) out[name] = name === 'location' ? value.replace(upstream, self) : value;
        });
        if (fault?.kind === 'drop-linked-size') delete out['x-linked-size'];
        if (fault?.kind === 'alter-byte' && body.length > 0) body = Buffer.concat([Buffer.from([body[0] ^ 0xff]), body.subarray(1)]);
        if (fault?.kind === 'truncate-without-length') {
          // A close-delimited body: the client cannot tell it was cut short.
          res.useChunkedEncodingByDefault = false;
          res.writeHead(answer.status, { ...out, Connection: 'close' });
          res.end(body.subarray(0, fault.bytes));
          return;
        }
        if (fault?.kind === 'short-content-length') body = body.subarray(0, fault.bytes);
        res.writeHead(answer.status, { ...out, 'Content-Length': body.length });
        res.end(body);
      })
      .catch((error: unknown) => res.destroy(error as Error));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  self = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: self,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
