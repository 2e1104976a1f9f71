import { HubError, type LoggerV1 } from '@rlgf/contracts';
import { createVirtualClock, rejectionOf, startHubServer, type HubServer, type VirtualClock } from '@rlgf/testing';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startFaultProxy, type Fault, type FaultProxy } from './__fixtures__/fault-proxy';
import { createHubFiles } from './create-hub-files';
import type { HubSettings } from './hub-settings';

// A Hub server behind a proxy that cuts, lengthens, alters and refuses its answers. Every case
// here was observed against the real cache: a download cut short was stored under the full
// file's etag, and every later run failed on it.
const commit = 'd'.repeat(40);
const root = mkdtempSync(join(tmpdir(), 'rlgf-hub-verify-root-'));
const configText = '{"n_embd": 2, "padding": "0123456789abcdefghij"}\n';
const parquetBytes = Buffer.from('PAR1 stand-in for a parquet shard, long enough to cut in half PAR1');
mkdirSync(join(root, 'models/acme/tiny'), { recursive: true });
writeFileSync(join(root, 'models/acme/tiny/config.json'), configText);
mkdirSync(join(root, 'datasets/acme/reviews/data'), { recursive: true });
writeFileSync(join(root, 'datasets/acme/reviews/data/train.parquet'), parquetBytes);

const sha256 = (bytes: string | Buffer) => createHash('sha256').update(bytes).digest('hex');
const gitBlobId = (text: string) => createHash('sha1').update(`blob ${Buffer.byteLength(text)}\0${text}`).digest('hex');
const configPath = '/acme/tiny/resolve/main/config.json';
const config = { repoType: 'model', repo: 'acme/tiny', path: 'config.json' } as const;
const parquet = { repoType: 'dataset', repo: 'acme/reviews', path: 'data/train.parquet' } as const;
const cdnPath = `/cdn-lfs/${sha256(parquetBytes)}`;

let upstream: HubServer;
let proxy: FaultProxy;
let faults: (path: string) => Fault | undefined;
let cacheDir: string;
let clock: VirtualClock;
let warnings: string[];

beforeAll(async () => {
  upstream = await startHubServer({ root, revisionCommit: commit });
  proxy = await startFaultProxy(upstream.url, (path) => faults(path));
});
beforeEach(() => {
  cacheDir = mkdtempSync(join(tmpdir(), 'rlgf-hub-verify-cache-'));
  clock = createVirtualClock();
  warnings = [];
  faults = () => undefined;
});
afterEach(() => rmSync(cacheDir, { recursive: true, force: true }));
afterAll(async () => {
  await proxy.close();
  await upstream.close();
  rmSync(root, { recursive: true, force: true });
});

const logger: LoggerV1 = { debug: () => undefined, info: () => undefined, warn: (line) => warnings.push(line), error: () => undefined };
const hubFor = (overrides: Partial<HubSettings> = {}) =>
  createHubFiles({ endpoint: proxy.url, cacheDir, offline: false, logger, retry: { clock, random: () => 0.5 }, ...overrides });
const always = (path: string, fault: Fault) => (requested: string) => (requested === path ? fault : undefined);
function firstOnly(path: string, fault: Fault) {
  let done = false;
  return (requested: string) => {
    if (requested !== path || done) return undefined;
    done = true;
    return fault;
  };
}
const requestsTo = (path: string) => proxy.requests.filter((requested) => requested === path).length;
/** Every file under the repository's cache folder except the ref: what a later run could pick up. */
const cachedFiles = (repoDir: string) => (existsSync(join(cacheDir, repoDir)) ? readdirSync(join(cacheDir, repoDir), { recursive: true }).map(String).sort() : []);

describe('downloads are verified before they are cached', () => {
  it.each<[string, Fault]>([
    ['cut short with no Content-Length', { kind: 'truncate-without-length', bytes: 10 }],
    ['a Content-Length smaller than the file', { kind: 'short-content-length', bytes: 10 }],
    ['other bytes than its etag names', { kind: 'alter-byte' }],
  ])('a git-stored file %s is never cached: its git blob id is checked, retried, then refused', async (_case, fault) => {
    faults = always(configPath, fault);
    const before = requestsTo(configPath);
    const error = await rejectionOf<HubError>(hubFor().resolveFile(config));
    expect(HubError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/^the download of model acme\/tiny, file config\.json at revision main from .* does not match what the Hub announced: git blob id [0-9a-f]{40} \(\d+ bytes\), expected /);
    expect(error.message).toContain(`expected ${gitBlobId(configText)} (gave up after 6 attempts)`);
    expect(requestsTo(configPath) - before).toBe(6);
    expect(clock.sleeps).toHaveLength(5);
    expect(cachedFiles('models--acme--tiny')).toEqual(['blobs']);

    faults = () => undefined;
    expect(readFileSync(await hubFor().resolveFile(config), 'utf8')).toBe(configText);
  });

  it('an LFS file cut short with no Content-Length is caught by the size the Hub announced', async () => {
    faults = always(cdnPath, { kind: 'truncate-without-length', bytes: 20 });
    const error = await rejectionOf<HubError>(hubFor({ retry: { clock, policy: { retries: 1, baseDelayMs: 10, maxDelayMs: 10, maxRetryAfterMs: 10 } } }).resolveFile(parquet));
    expect(error.message).toContain(`does not match what the Hub announced: 20 bytes, expected ${parquetBytes.length} (gave up after 2 attempts)`);
    expect(cachedFiles('datasets--acme--reviews')).toEqual(['blobs']);
  });

  it('an LFS file with other bytes than its sha256 etag is refused, with the sizes left out of the question', async () => {
    // Without X-Linked-Size and with the same length, only the sha256 can tell.
    faults = (path) => (path === cdnPath ? { kind: 'alter-byte' } : path.includes('/resolve/') ? { kind: 'drop-linked-size' } : undefined);
    const error = await rejectionOf<HubError>(hubFor({ retry: { clock, policy: { retries: 0, baseDelayMs: 0, maxDelayMs: 0, maxRetryAfterMs: 0 } } }).resolveFile(parquet));
    expect(error.message).toMatch(new RegExp(`: sha256 [0-9a-f]{64} \\(${parquetBytes.length} bytes\\), expected ${sha256(parquetBytes)}$`));
    expect(cachedFiles('datasets--acme--reviews')).toEqual(['blobs']);
  });

  it('a download cut short once is retried and the good copy cached under its etag', async () => {
    faults = firstOnly(cdnPath, { kind: 'truncate-without-length', bytes: 5 });
    const path = await hubFor().resolveFile(parquet);
    expect(readFileSync(path).equals(parquetBytes)).toBe(true);
    expect(readFileSync(join(cacheDir, 'datasets--acme--reviews/blobs', sha256(parquetBytes))).equals(parquetBytes)).toBe(true);
    expect(clock.sleeps).toHaveLength(1);
    expect(warnings).toEqual([
      `dataset acme/reviews, file data/train.parquet at revision main: download does not match the Hub's etag or size: 5 bytes, expected ${parquetBytes.length}; retrying in 0.5 s (attempt 2 of 6)`,
    ]);
  });
});

describe('transient Hub failures are retried with backoff', () => {
  it('a 500 is retried after a jittered backoff, then the file is served', async () => {
    faults = firstOnly(configPath, { kind: 'status', status: 500 });
    const path = await hubFor().resolveFile(config);
    expect(readFileSync(path, 'utf8')).toBe(configText);
    // Full jitter: random 0.5 of the first ceiling, 1000 ms.
    expect(clock.sleeps).toEqual([500]);
    expect(warnings).toEqual([expect.stringMatching(/: HTTP 500 \(server error\): injected 500; retrying in 0\.5 s \(attempt 2 of 6\)$/)]);
  });

  it('a 429 waits what Retry-After asks for', async () => {
    faults = firstOnly(configPath, { kind: 'status', status: 429, headers: { 'Retry-After': '7' } });
    expect(readFileSync(await hubFor().resolveFile(config), 'utf8')).toBe(configText);
    expect(clock.sleeps).toEqual([7000]);
  });

  it('a 503 on every attempt gives up after the retries, naming the status and the count', async () => {
    faults = always(configPath, { kind: 'status', status: 503 });
    const error = await rejectionOf<HubError>(hubFor().resolveFile(config));
    expect(error.message).toMatch(/^the Hub failed to serve model acme\/tiny, file config\.json at revision main \(HTTP 503: injected 503\) .* \(gave up after 6 attempts\)$/);
    // Doubling ceilings 1, 2, 4, 8, 8 s, half of each.
    expect(clock.sleeps).toEqual([500, 1000, 2000, 4000, 4000]);
  });

  it('a 404 is not retried', async () => {
    const before = proxy.requests.length;
    await expect(hubFor().resolveFile({ ...config, path: 'missing.json' })).rejects.toThrow(/^not found on the Hub/);
    expect(proxy.requests.length - before).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('a listing page that fails with a 502 is asked for again', async () => {
    faults = firstOnly('/api/models/acme/tiny/tree/main?recursive=true', { kind: 'status', status: 502 });
    await expect(hubFor().listFiles({ repoType: 'model', repo: 'acme/tiny' })).resolves.toEqual(['config.json']);
    expect(clock.sleeps).toEqual([500]);
  });
});

describe('a poisoned cache entry', () => {
  /** The cache an earlier version left: the first `keep` bytes under the full file's sha256. */
  function poisonCache(keep: number, options = { link: true }): string {
    const repoDir = join(cacheDir, 'datasets--acme--reviews');
    const blob = join(repoDir, 'blobs', sha256(parquetBytes));
    const snapshot = join(repoDir, 'snapshots', commit, 'data/train.parquet');
    mkdirSync(dirname(blob), { recursive: true });
    mkdirSync(dirname(snapshot), { recursive: true });
    mkdirSync(join(repoDir, 'refs'));
    writeFileSync(blob, parquetBytes.subarray(0, keep));
    writeFileSync(join(repoDir, 'refs/main'), commit);
    if (options.link) symlinkSync(`../../../blobs/${sha256(parquetBytes)}`, snapshot);
    return blob;
  }

  it('is removed with a message and downloaded again when online', async () => {
    const blob = poisonCache(12);
    const path = await hubFor().resolveFile(parquet);
    expect(readFileSync(path).equals(parquetBytes)).toBe(true);
    expect(readFileSync(blob).equals(parquetBytes)).toBe(true);
    expect(warnings).toEqual([
      `removed ${blob} from the Hub cache: its content does not match its name (sha256 ${sha256(parquetBytes.subarray(0, 12))} (12 bytes), expected ${sha256(parquetBytes)}); downloading it again`,
    ]);
  });

  it('is removed offline too, and the error says it is not cached any more', async () => {
    const blob = poisonCache(3);
    const error = await rejectionOf<HubError>(hubFor({ offline: true }).resolveFile(parquet));
    expect(error.message).toMatch(/^dataset acme\/reviews, file data\/train\.parquet at revision main is not in the cache/);
    expect(existsSync(blob)).toBe(false);
    expect(warnings).toEqual([expect.stringMatching(/; offline mode is on, so it cannot be downloaded again$/)]);
  });

  it('is not linked again when a download finds it under the etag the Hub sends', async () => {
    // No snapshot link yet (another revision, or a link removed by hand): the blob alone.
    const blob = poisonCache(12, { link: false });
    const path = await hubFor().resolveFile(parquet);
    expect(readFileSync(path).equals(parquetBytes)).toBe(true);
    expect(readFileSync(blob).equals(parquetBytes)).toBe(true);
    expect(warnings).toEqual([expect.stringMatching(/^removed .* from the Hub cache: its content does not match its name \(sha256 .*\); downloading it again$/)]);
  });
});
