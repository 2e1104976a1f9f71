import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { sharedHubMirror } from './shared-hub-mirror';
import { startHubServer, type HubServer } from './start-hub-server';

const root = mkdtempSync(join(tmpdir(), 'rlgf-hub-server-'));
const files: Record<string, string> = {
  'models/acme/tiny/hello.txt': 'hello\n',
  'models/acme/tiny/sub/deep/a.json': '{}',
  'datasets/acme/data/data/train-00000-of-00001.parquet': 'not really parquet',
  'datasets/acme/data/README.md': '# data',
};
for (const [path, content] of Object.entries(files)) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

let server: HubServer;
beforeAll(async () => {
  server = await startHubServer({ root, revisionCommit: 'c'.repeat(40), treePageSize: 2 });
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('startHubServer', () => {
  it('serves a git-stored file with the Hub headers: git blob id as ETag and the commit', async () => {
    const response = await fetch(`${server.url}/acme/tiny/resolve/main/hello.txt`);
    expect(response.status).toBe(200);
    // `git hash-object` of "hello\n".
    expect(response.headers.get('etag')).toBe('"ce013625030ba8dba906f756967f9e9ca394464a"');
    expect(response.headers.get('x-repo-commit')).toBe('c'.repeat(40));
    expect(await response.text()).toBe('hello\n');
  });

  it('redirects an LFS-type file to a CDN URL, with its sha256 as X-Linked-Etag on the redirect only', async () => {
    const sha256 = createHash('sha256').update('not really parquet').digest('hex');
    const url = `${server.url}/datasets/acme/data/resolve/main/data/train-00000-of-00001.parquet`;
    const redirect = await fetch(url, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('x-linked-etag')).toBe(`"${sha256}"`);
    expect(redirect.headers.get('x-linked-size')).toBe('18');
    expect(redirect.headers.get('x-repo-commit')).toBe('c'.repeat(40));
    const final = await fetch(url);
    expect(final.headers.get('x-repo-commit')).toBeNull();
    expect(final.headers.get('etag')).not.toBe(`"${sha256}"`);
    expect(await final.text()).toBe('not really parquet');
  });

  it('accepts the commit as a revision and answers HEAD without a body', async () => {
    const response = await fetch(`${server.url}/acme/tiny/resolve/${'c'.repeat(40)}/hello.txt`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('6');
    expect(await response.text()).toBe('');
  });

  it('answers 404 with a JSON error and the Hub error code', async () => {
    const cases = [
      ['/acme/missing/resolve/main/x', 'RepoNotFound'],
      ['/acme/tiny/resolve/main/missing.txt', 'EntryNotFound'],
      ['/acme/tiny/resolve/v9/hello.txt', 'RevisionNotFound'],
      ['/datasets/acme/data/resolve/main/..%2F..%2F..%2Fetc%2Fpasswd', 'NotFound'],
    ];
    for (const [path, code] of cases) {
      const response = await fetch(`${server.url}${path}`);
      expect([path, response.status, response.headers.get('x-error-code')]).toEqual([path, 404, code]);
      expect(typeof ((await response.json()) as { error: unknown }).error).toBe('string');
    }
  });

  it('lists a repository tree recursively, page by page through the Link header', async () => {
    const paths: string[] = [];
    let next: string | undefined = `${server.url}/api/models/acme/tiny/tree/main?recursive=true`;
    let pages = 0;
    while (next) {
      const response: Response = await fetch(next);
      pages += 1;
      paths.push(...((await response.json()) as { path: string }[]).map((entry) => entry.path));
      next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
    }
    expect(paths).toEqual(['hello.txt', 'sub', 'sub/deep', 'sub/deep/a.json']);
    expect(pages).toBe(2);
  });

  it('lists only direct children without recursive, and 404s a missing prefix', async () => {
    const response = await fetch(`${server.url}/api/datasets/acme/data/tree/main/data`);
    expect(await response.json()).toEqual([{ type: 'file', path: 'data/train-00000-of-00001.parquet', size: 18 }]);
    const missing = await fetch(`${server.url}/api/datasets/acme/data/tree/main/nope`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-error-code')).toBe('EntryNotFound');
  });

  it('logs each request with its authorization header and status', async () => {
    const before = server.requests.length;
    await fetch(`${server.url}/acme/tiny/resolve/main/hello.txt`, { headers: { Authorization: 'Bearer abc' } });
    expect(server.requests.slice(before)).toEqual([
      { method: 'GET', url: '/acme/tiny/resolve/main/hello.txt', authorization: 'Bearer abc', status: 200 },
    ]);
  });
});

describe('startHubServer with a token', () => {
  it('answers 401 without the right bearer token and serves with it', async () => {
    const guarded = await startHubServer({ root, token: 'hf_secret' });
    try {
      const url = `${guarded.url}/acme/tiny/resolve/main/hello.txt`;
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { Authorization: 'Bearer wrong' } })).status).toBe(401);
      const allowed = await fetch(url, { headers: { Authorization: 'Bearer hf_secret' } });
      expect(allowed.status).toBe(200);
      expect(await allowed.text()).toBe('hello\n');
    } finally {
      await guarded.close();
    }
  });
});

describe('startHubServer on the shared mirror', () => {
  it('streams the 20 MB IMDB shard byte for byte', async () => {
    const mirror = sharedHubMirror();
    const shared = await startHubServer({ root: mirror });
    try {
      const path = 'datasets/stanfordnlp/imdb/plain_text/test-00000-of-00001.parquet';
      const response = await fetch(`${shared.url}/datasets/stanfordnlp/imdb/resolve/main/plain_text/test-00000-of-00001.parquet`);
      const body = Buffer.from(await response.arrayBuffer());
      const expected = readFileSync(join(mirror, path));
      expect(body.length).toBe(expected.length);
      expect(body.equals(expected)).toBe(true);
    } finally {
      await shared.close();
    }
  });
});
