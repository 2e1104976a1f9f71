import { HubError } from '@rlgf/contracts';
import { createVirtualClock, rejectionOf } from '@rlgf/testing';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHubFiles } from './create-hub-files';

// Hand-written servers for what the Hub does but the mirror server does not: a renamed
// repository (relative redirect) in front of an LFS file on a CDN of another origin, and a
// connection dropped mid-download.
const servers: Server[] = [];
async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let cacheDir: string;
beforeEach(() => {
  cacheDir = mkdtempSync(join(tmpdir(), 'rlgf-hub-cache-'));
});
afterEach(() => rmSync(cacheDir, { recursive: true, force: true }));
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

const weightsSha256 = createHash('sha256').update('weights').digest('hex');

describe('createHubFiles following Hub redirects', () => {
  it('keeps Hub metadata across a relative redirect and sends the token to the Hub only', async () => {
    const authorizations: Record<string, string | undefined> = {};
    const cdn = await serve((req, res) => {
      authorizations.cdn = req.headers.authorization;
      res.writeHead(200, { ETag: '"cdn-etag"' });
      res.end('weights');
    });
    const hub = await serve((req, res) => {
      authorizations[req.url ?? ''] = req.headers.authorization;
      if (req.url === '/old-owner/model/resolve/main/model.safetensors') {
        res.writeHead(307, { Location: '/new-owner/model/resolve/main/model.safetensors' });
      } else {
        res.writeHead(302, { Location: `${cdn}/blob`, 'X-Repo-Commit': 'c'.repeat(40), 'X-Linked-Etag': `"${weightsSha256}"` });
      }
      res.end();
    });
    const path = await createHubFiles({ endpoint: hub, token: 'hf_secret', cacheDir, offline: false }).resolveFile({
      repoType: 'model',
      repo: 'old-owner/model',
      path: 'model.safetensors',
    });
    expect(path).toBe(join(cacheDir, 'models--old-owner--model/snapshots', 'c'.repeat(40), 'model.safetensors'));
    expect(readlinkSync(path)).toBe(`../../blobs/${weightsSha256}`);
    expect(readFileSync(path, 'utf8')).toBe('weights');
    expect(authorizations).toEqual({
      '/old-owner/model/resolve/main/model.safetensors': 'Bearer hf_secret',
      '/new-owner/model/resolve/main/model.safetensors': 'Bearer hf_secret',
      cdn: undefined,
    });
  });
});

describe('createHubFiles when the connection drops', () => {
  it('fails clearly and leaves no partial file in the cache', async () => {
    const hub = await serve((_req, res) => {
      res.writeHead(200, { 'Content-Length': 1000, 'X-Repo-Commit': 'c'.repeat(40), ETag: '"abc"' });
      res.write('only the first bytes');
      setImmediate(() => res.destroy());
    });
    const clock = createVirtualClock();
    const hubFiles = createHubFiles({ endpoint: hub, cacheDir, offline: false, retry: { clock, random: () => 0 } });
    const error = await rejectionOf<HubError>(hubFiles.resolveFile({ repoType: 'model', repo: 'a/b', path: 'f.bin' }));
    expect(HubError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/^the download of model a\/b, file f\.bin at revision main from http:\/\/127\.0\.0\.1:\d+\/a\/b\/resolve\/main\/f\.bin was interrupted: /);
    expect(error.message).toMatch(/\(gave up after 6 attempts\)$/);
    expect(clock.sleeps).toHaveLength(5);
    expect(error.hint).toMatch(/^retry/);
    expect(readdirSync(join(cacheDir, 'models--a--b'))).toEqual(['blobs']);
    expect(readdirSync(join(cacheDir, 'models--a--b/blobs'))).toEqual([]);
  });
});
