import { HubError } from '@rlgf/contracts';
import { rejectionOf, sharedHubMirror, startHubServer, type HubServer } from '@rlgf/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHubFiles } from './create-hub-files';

const mirrorDir = sharedHubMirror();
const tinyGpt2 = { repoType: 'model', repo: 'sshleifer/tiny-gpt2' } as const;
let server: HubServer;
let cacheDir: string;
beforeAll(async () => {
  server = await startHubServer({ root: mirrorDir, treePageSize: 3 });
  cacheDir = mkdtempSync(join(tmpdir(), 'rlgf-hub-cache-'));
});
afterAll(async () => {
  await server.close();
  rmSync(cacheDir, { recursive: true, force: true });
});

describe('createHubFiles listing', () => {
  it('lists through the tree API across pages, the same files the mirror holds', async () => {
    const online = createHubFiles({ endpoint: server.url, cacheDir, offline: false });
    const fromMirror = await createHubFiles({ mirrorDir, cacheDir, offline: false }).listFiles(tinyGpt2);
    const start = server.requests.length;
    const listed = await online.listFiles(tinyGpt2);
    expect(listed).toEqual(fromMirror);
    expect(listed).toContain('model.safetensors');
    // 3-entry pages, each linked from the previous one.
    const urls = server.requests.slice(start).map((request) => request.url);
    expect(urls.length).toBe(Math.ceil(listed.length / 3));
    expect(urls.length).toBeGreaterThan(1);
    expect(urls).toEqual(urls.map((_, page) => `/api/models/sshleifer/tiny-gpt2/tree/main?recursive=true${page === 0 ? '' : `&cursor=${3 * page}`}`));
  });

  it('lists only under a prefix, and nothing under a missing one', async () => {
    const online = createHubFiles({ endpoint: server.url, cacheDir, offline: false });
    await expect(online.listFiles({ repoType: 'dataset', repo: 'stanfordnlp/imdb', prefix: 'plain_text' })).resolves.toEqual([
      'plain_text/test-00000-of-00001.parquet',
      'plain_text/train-00000-of-00001.parquet',
    ]);
    await expect(online.listFiles({ repoType: 'dataset', repo: 'stanfordnlp/imdb', prefix: 'unsupervised' })).resolves.toEqual([]);
  });

  it('reports a repository the Hub does not have', async () => {
    const online = createHubFiles({ endpoint: server.url, cacheDir, offline: false });
    const error = await rejectionOf<HubError>(online.listFiles({ repoType: 'dataset', repo: 'nobody/nothing' }));
    expect(HubError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/^repository not found on the Hub: the files of dataset nobody\/nothing at revision main \(HTTP 404 RepoNotFound/);
  });

  it('offline, lists the files of the cached snapshot, and says when nothing is cached', async () => {
    await createHubFiles({ endpoint: server.url, cacheDir, offline: false }).resolveFile({ ...tinyGpt2, path: 'config.json' });
    const offline = createHubFiles({ endpoint: server.url, cacheDir, offline: true });
    const start = server.requests.length;
    await expect(offline.listFiles(tinyGpt2)).resolves.toEqual(['config.json']);
    await expect(offline.listFiles({ repoType: 'dataset', repo: 'stanfordnlp/imdb' })).rejects.toThrow(
      `the file list of dataset stanfordnlp/imdb at revision main is not in the cache ${cacheDir}, and offline mode is on (HF_HUB_OFFLINE)`,
    );
    expect(server.requests.slice(start)).toEqual([]);
  });
});
