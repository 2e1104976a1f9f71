import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join } from 'node:path';
import { createDigestCache } from './file-digests';
import { parseHubRoute, type HubRoute } from './hub-routes';
import { listTreeEntries } from './tree-entries';

export interface HubServerOptions {
  /** Folder laid out like the Hub mirror: `datasets/<owner>/<name>/<path>`, `models/<owner>/<name>/<path>`. */
  readonly root: string;
  /** When set, resolve and tree requests must carry `Authorization: Bearer <token>`, else 401. */
  readonly token?: string;
  /** Commit the server reports (`X-Repo-Commit`) for `main`; also accepted as a revision. */
  readonly revisionCommit?: string;
  /** Tree API entries per page; later pages are linked with `Link: <url>; rel="next"`. Default 1000. */
  readonly treePageSize?: number;
}

/** One request the server received, in arrival order. */
export interface HubServerRequest {
  readonly method: string;
  /** Path and query as sent. */
  readonly url: string;
  /** The `Authorization` header as sent, if any. */
  readonly authorization?: string;
  /** Status of the response (0 until it is sent). */
  readonly status: number;
}

export interface HubServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`: use it as the Hub endpoint. */
  readonly url: string;
  /** Every request so far, live. */
  readonly requests: readonly HubServerRequest[];
  close(): Promise<void>;
}

export const defaultRevisionCommit = '0123456789abcdef0123456789abcdef01234567';

// Extensions the Hub's default .gitattributes stores in LFS: those files are served through a
// redirect to a CDN, with the Hub's metadata on the redirect and not on the final response.
const lfsExtensions = new Set(['.parquet', '.safetensors', '.bin', '.arrow', '.h5', '.onnx', '.pt', '.pth', '.ckpt', '.msgpack', '.gguf', '.zip', '.gz']);

type Send = (status: number, headers: OutgoingHttpHeaders, body?: string) => void;

function hubError(send: Send, status: number, code: string, message: string): void {
  send(status, { 'Content-Type': 'application/json', 'X-Error-Code': code, 'X-Error-Message': message }, JSON.stringify({ error: message }));
}

function streamFile(req: IncomingMessage, res: ServerResponse, path: string): void {
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(path);
  stream.on('error', (error) => res.destroy(error));
  stream.pipe(res);
}

/**
 * Starts an HTTP server on 127.0.0.1 that serves a mirror folder the way the Hugging Face Hub
 * serves repositories: resolve URLs (with `X-Repo-Commit`, `ETag`, and for LFS-type files a 302 to
 * a CDN-like URL carrying `X-Linked-Etag`), the tree API with pagination, JSON 404s with
 * `X-Error-Code`, and an optional bearer-token check.
 */
export async function startHubServer(options: HubServerOptions): Promise<HubServer> {
  const commit = options.revisionCommit ?? defaultRevisionCommit;
  const pageSize = options.treePageSize ?? 1000;
  const digests = createDigestCache();
  const requests: { method: string; url: string; authorization?: string; status: number }[] = [];
  let baseUrl = '';

  const serveRoute = async (route: HubRoute, req: IncomingMessage, res: ServerResponse, query: URLSearchParams, send: Send) => {
    if (route.kind === 'lfs') {
      const path = digests.pathOfContent(route.sha256);
      if (!path) return hubError(send, 404, 'EntryNotFound', 'Entry not found');
      send(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': (await stat(path)).size, ETag: `"cdn-${route.sha256.slice(0, 16)}"` });
      return streamFile(req, res, path);
    }
    if (options.token !== undefined && req.headers.authorization !== `Bearer ${options.token}`) {
      return hubError(send, 401, 'Unauthorized', 'Invalid credentials in Authorization header');
    }
    const repoDir = join(options.root, route.repoType === 'model' ? 'models' : 'datasets', route.repo);
    if (!(await stat(repoDir).catch(() => undefined))?.isDirectory()) {
      return hubError(send, 404, 'RepoNotFound', 'Repository not found');
    }
    if (route.revision !== 'main' && route.revision !== commit) {
      return hubError(send, 404, 'RevisionNotFound', `Invalid rev id: ${route.revision}`);
    }
    if (route.kind === 'tree') {
      const entries = await listTreeEntries(repoDir, route.prefix, ['true', 'True', '1'].includes(query.get('recursive') ?? ''));
      if (!entries) return hubError(send, 404, 'EntryNotFound', `Entry not found: ${route.prefix}`);
      const cursor = Number(query.get('cursor') ?? '0');
      const headers: OutgoingHttpHeaders = { 'Content-Type': 'application/json', 'X-Repo-Commit': commit };
      if (cursor + pageSize < entries.length) {
        const next = new URL(req.url ?? '/', baseUrl);
        next.searchParams.set('cursor', String(cursor + pageSize));
        headers.Link = `<${next.href}>; rel="next"`;
      }
      return send(200, headers, JSON.stringify(entries.slice(cursor, cursor + pageSize)));
    }
    const filePath = join(repoDir, route.path);
    if (!(await stat(filePath).catch(() => undefined))?.isFile()) return hubError(send, 404, 'EntryNotFound', 'Entry not found');
    const file = await digests.digestsOf(filePath);
    if (lfsExtensions.has(extname(route.path))) {
      const pointer = `version https://git-lfs.github.com/spec/v1\noid sha256:${file.sha256}\nsize ${file.size}\n`;
      const pointerId = createHash('sha1').update(`blob ${pointer.length}\0${pointer}`).digest('hex');
      return send(302, {
        Location: `${baseUrl}/cdn-lfs/${file.sha256}`,
        'X-Repo-Commit': commit,
        'X-Linked-Etag': `"${file.sha256}"`,
        'X-Linked-Size': file.size,
        ETag: `"${pointerId}"`,
      });
    }
    send(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': file.size, 'X-Repo-Commit': commit, ETag: `"${file.gitBlobId}"` });
    streamFile(req, res, filePath);
  };

  const server = createServer((req, res) => {
    const entry = { method: req.method ?? 'GET', url: req.url ?? '/', authorization: req.headers.authorization, status: 0 };
    requests.push(entry);
    const send: Send = (status, headers, body) => {
      entry.status = status;
      res.writeHead(status, headers);
      if (body !== undefined || status >= 300) res.end(req.method === 'HEAD' ? undefined : body);
    };
    const url = new URL(req.url ?? '/', baseUrl);
    const route = parseHubRoute(url.pathname);
    if (req.method !== 'GET' && req.method !== 'HEAD') return hubError(send, 405, 'MethodNotAllowed', `method ${req.method} not allowed`);
    if (!route) return hubError(send, 404, 'NotFound', 'Sorry, we can\'t find the page you are looking for.');
    serveRoute(route, req, res, url.searchParams, send).catch((error: unknown) => {
      if (res.headersSent) res.destroy();
      else hubError(send, 500, 'InternalError', String(error));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: baseUrl,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
