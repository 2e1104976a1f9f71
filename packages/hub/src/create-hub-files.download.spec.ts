import { HubError, InvalidArgumentError, type LoggerV1 } from '@rlgf/contracts';
import { createVirtualClock, rejectionOf, sharedHubMirror, startHubServer, type HubServer } from '@rlgf/testing';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createHubFiles } from './create-hub-files';
import type { HubSettings } from './hub-settings';

const commit = 'a'.repeat(40);
const root = mkdtempSync(join(tmpdir(), 'rlgf-hub-root-'));
const files: Record<string, string> = {
  'models/acme/tiny/config.json': '{"n_embd": 2}\n',
  'models/acme/tiny/nested/dir/vocab.txt': 'a\nb\n',
  'datasets/acme/reviews/data/train-00000-of-00001.parquet': 'parquet bytes stand-in',
};
for (const [path, content] of Object.entries(files)) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const gitBlobId = (text: string) => createHash('sha1').update(`blob ${Buffer.byteLength(text)}\0${text}`).digest('hex');

let server: HubServer;
let cacheDir: string;
beforeAll(async () => {
  server = await startHubServer({ root, revisionCommit: commit });
});
beforeEach(() => {
  cacheDir = mkdtempSync(join(tmpdir(), 'rlgf-hub-cache-'));
});
afterEach(() => rmSync(cacheDir, { recursive: true, force: true }));
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

// Retries (of an unreachable Hub, say) wait on a virtual clock: no test sleeps.
const hubFor = (overrides: Partial<HubSettings> = {}) =>
  createHubFiles({ endpoint: server.url, cacheDir, offline: false, retry: { clock: createVirtualClock(), random: () => 0 }, ...overrides });
const requestsSince = (start: number) => server.requests.slice(start);
const config = { repoType: 'model', repo: 'acme/tiny', path: 'config.json' } as const;

describe('createHubFiles downloading from a Hub endpoint', () => {
  it('lays out the cache as huggingface_hub does: blob by etag, snapshot link by commit, ref by revision', async () => {
    const path = await hubFor().resolveFile(config);
    const repoDir = join(cacheDir, 'models--acme--tiny');
    expect(path).toBe(join(repoDir, 'snapshots', commit, 'config.json'));
    expect(readFileSync(path, 'utf8')).toBe(files['models/acme/tiny/config.json']);
    expect(readlinkSync(path)).toBe(`../../blobs/${gitBlobId(files['models/acme/tiny/config.json'])}`);
    expect(readFileSync(join(repoDir, 'refs/main'), 'utf8')).toBe(commit);

    const nested = await hubFor().resolveFile({ ...config, path: 'nested/dir/vocab.txt' });
    expect(readlinkSync(nested)).toBe(`../../../../blobs/${gitBlobId('a\nb\n')}`);
  });

  it('names an LFS blob after the X-Linked-Etag of the redirect, not the CDN etag', async () => {
    const path = await hubFor().resolveFile({ repoType: 'dataset', repo: 'acme/reviews', path: 'data/train-00000-of-00001.parquet' });
    expect(readlinkSync(path)).toBe(`../../../blobs/${sha256('parquet bytes stand-in')}`);
    expect(readFileSync(path, 'utf8')).toBe('parquet bytes stand-in');
  });

  it('serves a second resolution from the cache without a request, even from a new instance', async () => {
    const first = await hubFor().resolveFile(config);
    const start = server.requests.length;
    await expect(hubFor().resolveFile(config)).resolves.toBe(first);
    expect(requestsSince(start)).toEqual([]);
  });

  it('downloads once when the same file is resolved concurrently', async () => {
    const hub = hubFor();
    const start = server.requests.length;
    const paths = await Promise.all([hub.resolveFile(config), hub.resolveFile(config), hub.resolveFile(config)]);
    expect(new Set(paths).size).toBe(1);
    expect(requestsSince(start).map((request) => request.url)).toEqual(['/acme/tiny/resolve/main/config.json']);
  });

  it('pins a commit revision straight to its snapshot, writing no ref', async () => {
    const path = await hubFor().resolveFile({ ...config, revision: commit });
    expect(path).toBe(join(cacheDir, 'models--acme--tiny/snapshots', commit, 'config.json'));
    expect(existsSync(join(cacheDir, 'models--acme--tiny/refs'))).toBe(false);
  });

  it('reads a cache written by huggingface_hub without the network, offline or not', async () => {
    const repoDir = join(cacheDir, 'datasets--someone--python-made');
    const commitHash = 'b'.repeat(40);
    mkdirSync(join(repoDir, 'blobs'), { recursive: true });
    mkdirSync(join(repoDir, 'refs'));
    mkdirSync(join(repoDir, 'snapshots', commitHash, 'data'), { recursive: true });
    writeFileSync(join(repoDir, 'blobs', sha256('cached by python')), 'cached by python');
    writeFileSync(join(repoDir, 'refs', 'main'), commitHash);
    symlinkSync(`../../../blobs/${sha256('cached by python')}`, join(repoDir, 'snapshots', commitHash, 'data', 'x.parquet'));
    const start = server.requests.length;
    for (const offline of [false, true]) {
      const path = await hubFor({ offline }).resolveFile({ repoType: 'dataset', repo: 'someone/python-made', path: 'data/x.parquet' });
      expect(readFileSync(path, 'utf8')).toBe('cached by python');
    }
    expect(requestsSince(start)).toEqual([]);
  });

  it('offline with an empty cache says the file is not cached and how to fix it', async () => {
    const start = server.requests.length;
    const error = await rejectionOf<HubError>(hubFor({ offline: true }).resolveFile(config));
    expect(HubError.isInstance(error)).toBe(true);
    expect(error.message).toBe(
      `model acme/tiny, file config.json at revision main is not in the cache ${cacheDir}, and offline mode is on (HF_HUB_OFFLINE)`,
    );
    expect(error.hint).toMatch(/unset HF_HUB_OFFLINE.*RLGF_HUB_MIRROR/);
    expect(requestsSince(start)).toEqual([]);
  });

  it('reports a missing file, repository or revision as not found, naming repo, path and revision', async () => {
    const missingFile = await rejectionOf<HubError>(hubFor().resolveFile({ ...config, path: 'missing.json' }));
    expect(HubError.isInstance(missingFile)).toBe(true);
    expect(missingFile.message).toMatch(/^not found on the Hub: model acme\/tiny, file missing\.json at revision main \(HTTP 404 EntryNotFound/);
    const missingRepo = await rejectionOf<HubError>(hubFor().resolveFile({ ...config, repo: 'acme/nothing' }));
    expect(missingRepo.message).toMatch(/^repository not found on the Hub: model acme\/nothing/);
    expect(missingRepo.hint).toMatch(/HF_TOKEN/);
    const missingRevision = await rejectionOf<HubError>(hubFor().resolveFile({ ...config, revision: 'v9' }));
    expect(missingRevision.message).toMatch(/^revision not found on the Hub: model acme\/tiny, file config\.json at revision v9/);
    expect(existsSync(join(cacheDir, 'models--acme--tiny/snapshots'))).toBe(false);
  });

  it('says where to look when the Hub cannot be reached', async () => {
    const gone = await startHubServer({ root });
    await gone.close();
    const error = await rejectionOf<HubError>(hubFor({ endpoint: gone.url }).resolveFile(config));
    expect(HubError.isInstance(error)).toBe(true);
    expect(error.message).toContain(`cannot reach the Hub for model acme/tiny, file config.json at revision main at ${gone.url}/acme/tiny/resolve/main/config.json`);
    expect(error.hint).toMatch(/HF_HUB_OFFLINE=1.*RLGF_HUB_MIRROR/);
  });

  it('rejects with the abort reason when the caller aborts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stop now'));
    await expect(hubFor().resolveFile(config, { abortSignal: controller.signal })).rejects.toThrow('stop now');
  });

  it('checks its arguments before touching the network', async () => {
    const start = server.requests.length;
    await expect(hubFor().resolveFile({ ...config, repo: 'no-owner' })).rejects.toThrow(InvalidArgumentError);
    await expect(hubFor().resolveFile({ ...config, revision: '../x' })).rejects.toThrow(InvalidArgumentError);
    expect(requestsSince(start)).toEqual([]);
  });
});

describe('createHubFiles with a token', () => {
  const token = 'hf_TopSecret123';
  let guarded: HubServer;
  beforeAll(async () => {
    guarded = await startHubServer({ root, token });
  });
  afterAll(() => guarded.close());

  it('sends the token as a bearer header', async () => {
    const start = guarded.requests.length;
    await createHubFiles({ endpoint: guarded.url, token, cacheDir, offline: false }).resolveFile(config);
    expect(guarded.requests.slice(start).map((request) => request.authorization)).toEqual([`Bearer ${token}`]);
  });

  it('explains a refused token without ever repeating it', async () => {
    const wrong = 'hf_WrongSecret456';
    const error = await rejectionOf<HubError>(createHubFiles({ endpoint: guarded.url, token: wrong, cacheDir, offline: false }).resolveFile(config));
    expect(HubError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/^access denied to model acme\/tiny, file config\.json at revision main \(HTTP 401/);
    expect(error.hint).toMatch(/token in HF_TOKEN was refused.*gated/);
    expect(`${error.message} ${error.hint} ${error.stack} ${JSON.stringify(error)}`).not.toContain(wrong);
  });

  it('suggests HF_TOKEN when no token was sent', async () => {
    const error = await rejectionOf<HubError>(hubFor({ endpoint: guarded.url }).resolveFile(config));
    expect(error.message).toMatch(/HTTP 401/);
    expect(error.hint).toMatch(/^set HF_TOKEN/);
  });
});

describe('createHubFiles on a server without Hub headers', () => {
  it('names the blob by the content sha256 and the snapshot by the revision', async () => {
    const plain = createServer((_req, res) => res.end('plain file'));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = plain.address() as { port: number };
      const path = await hubFor({ endpoint: `http://127.0.0.1:${port}` }).resolveFile(config);
      expect(path).toBe(join(cacheDir, 'models--acme--tiny/snapshots/main/config.json'));
      expect(readlinkSync(path)).toBe(`../../blobs/${sha256('plain file')}`);
      expect(existsSync(join(cacheDir, 'models--acme--tiny/refs'))).toBe(false);
      await expect(hubFor({ offline: true }).resolveFile(config)).resolves.toBe(path);
    } finally {
      plain.closeAllConnections();
      await new Promise((resolve) => plain.close(resolve));
    }
  });
});

describe('createHubFiles downloading a large file', () => {
  it('streams the 20 MB IMDB shard into the cache and logs progress a few times, not per chunk', async () => {
    const mirror = sharedHubMirror();
    const shared = await startHubServer({ root: mirror });
    const lines: string[] = [];
    const logger: LoggerV1 = { debug: () => undefined, info: (line) => lines.push(line), warn: () => undefined, error: () => undefined };
    try {
      const relative = 'plain_text/test-00000-of-00001.parquet';
      const path = await createHubFiles({ endpoint: shared.url, cacheDir, offline: false, logger }).resolveFile({
        repoType: 'dataset',
        repo: 'stanfordnlp/imdb',
        path: relative,
      });
      expect(readFileSync(path).equals(readFileSync(join(mirror, 'datasets/stanfordnlp/imdb', relative)))).toBe(true);
      expect(lines[0]).toMatch(/^downloading dataset stanfordnlp\/imdb, file plain_text\/test-00000-of-00001\.parquet at revision main \(\d+\.\d MB\)$/);
      expect(lines[lines.length - 1]).toMatch(/^downloaded dataset stanfordnlp\/imdb/);
      const percents = lines.slice(1, -1).map((line) => Number(/\((\d+)%\)$/.exec(line)?.[1]));
      expect(percents.length).toBeGreaterThanOrEqual(3);
      expect(percents.length).toBeLessThanOrEqual(9);
      expect(percents).toEqual([...percents].sort((a, b) => a - b));
    } finally {
      await shared.close();
    }
  });
});
