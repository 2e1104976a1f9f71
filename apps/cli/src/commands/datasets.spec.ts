import { sharedHubMirror, startHubServer, type HubServer } from '@rlgf/testing';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../testing/run-cli';

describe('rlgf datasets show', () => {
  const mirror = sharedHubMirror();
  const env = { ...process.env, RLGF_HUB_MIRROR: mirror };

  it('prints 3 rows of the IMDB test split from the mirror', async () => {
    const result = await runCli(['datasets', 'show', 'stanfordnlp/imdb', '--split', 'test[:3]', '--format', 'json'], { env });
    expect(result.code).toBe(0);
    const preview = JSON.parse(result.stdout);
    expect(preview.numRows).toBe(3);
    expect(preview.rows).toHaveLength(3);
    expect(preview.columns.map((c: { name: string }) => c.name)).toEqual(['text', 'label']);
    expect(preview.rows[0].text).toMatch(/^Once again Mr\. Costner/);
  });

  it('reports 5000 rows for train[80%:] and prints text by default', async () => {
    const result = await runCli(['datasets', 'show', 'stanfordnlp/imdb', '--split', 'train[80%:]', '--limit', '1', '--max-chars', '20'], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('split    train[80%:]: 5000 rows');
    expect(result.stdout).toMatch(/"text":"[^\n]+… \(676 chars\)","label":1}/);
  });

  it('fails in one line on an unknown split, naming the available ones', async () => {
    const result = await runCli(['datasets', 'show', 'stanfordnlp/imdb', '--split', 'validation'], { env });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('available splits: train, test');
  });

  it('shows a local JSON Lines file (split "train" by default), and names a missing file in one line', async () => {
    const result = await runCli(['datasets', 'show', './examples/your-data/stories.jsonl', '--split', 'train[-1:]', '--format', 'json'], { env, cwd: join(__dirname, '../../../..') });
    expect(result.code).toBe(0);
    const preview = JSON.parse(result.stdout);
    expect(preview.numRows).toBe(1);
    expect(preview.columns).toEqual([{ name: 'text', type: 'string' }, { name: 'reference', type: 'string' }, { name: 'topic', type: 'string' }]);
    const missing = await runCli(['datasets', 'show', './nope.csv'], { env });
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('no data file at');
  });

  describe('over HTTP from a Hub-style server', () => {
    let server: HubServer;
    beforeAll(async () => {
      server = await startHubServer({ root: mirror });
    });
    afterAll(async () => {
      await server.close();
    });

    it('downloads into the cache once and reads the same rows', async () => {
      const cache = await mkdtemp(join(tmpdir(), 'rlgf-cli-cache-'));
      const httpEnv = { ...process.env, RLGF_HUB_MIRROR: '', HF_ENDPOINT: server.url, HF_HUB_CACHE: cache, HF_TOKEN: '' };
      const args = ['datasets', 'show', 'allenai/common_gen', '--split', 'validation', '--limit', '2', '--format', 'json'];
      const first = await runCli(args, { env: httpEnv });
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      expect(JSON.parse(first.stdout).numRows).toBe(4018);
      const downloads = server.requests.filter((r) => r.url.includes('/resolve/')).length;
      const second = await runCli(args, { env: { ...httpEnv, HF_HUB_OFFLINE: '1' } });
      expect(second.code).toBe(0);
      expect(JSON.parse(second.stdout).rows).toEqual(JSON.parse(first.stdout).rows);
      expect(server.requests.filter((r) => r.url.includes('/resolve/')).length).toBe(downloads);
    });
  });
});
