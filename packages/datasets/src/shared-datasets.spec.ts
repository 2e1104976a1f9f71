import type { HubFilesV1 } from '@rlgf/contracts';
import { createHubFiles } from '@rlgf/hub';
import { sharedHubMirror, startHubServer, type HubServer } from '@rlgf/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openHubDataset } from './hub-dataset';
import { loadDatasetSplit } from './load-dataset-split';

// The task datasets of the paper, read from the shared Hub mirror directly and over real HTTP
// from a loopback Hub server (downloading into a fresh cache).
const mirrorDir = sharedHubMirror();
let server: HubServer | undefined;
let cacheDir: string;
beforeAll(async () => {
  server = await startHubServer({ root: mirrorDir });
  cacheDir = mkdtempSync(join(tmpdir(), 'rlgf-datasets-cache-'));
});
afterAll(async () => {
  await server?.close();
  rmSync(cacheDir, { recursive: true, force: true });
});

const sources: [string, () => HubFilesV1][] = [
  ['the mirror folder', () => createHubFiles({ mirrorDir, cacheDir: join(cacheDir, 'unused'), offline: true })],
  ['a Hub server over HTTP', () => createHubFiles({ endpoint: server?.url, cacheDir, offline: false })],
];

describe.each(sources)('task datasets from %s', (_source, hubFiles) => {
  it('IMDB test[:3]: three negative reviews with text and label', async () => {
    const imdb = await openHubDataset(hubFiles(), { repo: 'stanfordnlp/imdb' });
    expect(imdb.config).toBe('plain_text');
    const rows = await imdb.readRows('test[:3]');
    expect(rows).toHaveLength(3);
    expect(rows.map((row) => Object.keys(row))).toEqual([['text', 'label'], ['text', 'label'], ['text', 'label']]);
    expect(String(rows[0].text)).toMatch(/^Once again Mr\. Costner has dragged out a movie for far longer than necessary\./);
    // Rows are sorted by label: the first 12,500 of each split are negative (0).
    expect(rows.map((row) => row.label)).toEqual([0, 0, 0]);
  });

  it('IMDB train[80%:] is the last 5,000 rows, all positive; train[:80%] the first 20,000', async () => {
    const imdb = await openHubDataset(hubFiles(), { repo: 'stanfordnlp/imdb' });
    const tail = await imdb.readRows('train[80%:]');
    expect(tail).toHaveLength(5000);
    expect(tail.every((row) => row.label === 1 && typeof row.text === 'string')).toBe(true);
    expect(await imdb.numRows('train[:80%]')).toBe(20_000);
    const head = await imdb.readRows('train[:80%]', { columns: ['label'] });
    expect(head).toHaveLength(20_000);
    // 12,500 negatives, then 20,000 - 12,500 = 7,500 positives.
    expect(head.filter((row) => row.label === 0)).toHaveLength(12_500);
    expect(head.filter((row) => row.label === 1)).toHaveLength(7_500);
  });

  it('CommonGen validation: 4,018 references of 993 concept sets', async () => {
    const commonGen = await openHubDataset(hubFiles(), { repo: 'allenai/common_gen' });
    expect(commonGen.config).toBe('default');
    expect(await commonGen.columns('validation')).toEqual([
      { name: 'concept_set_idx', type: 'int32' },
      { name: 'concepts', type: 'list<string>' },
      { name: 'target', type: 'string' },
    ]);
    const rows = await commonGen.readRows('validation');
    expect(rows).toHaveLength(4018);
    expect(new Set(rows.map((row) => row.concept_set_idx)).size).toBe(993);
    expect(rows.every((row) => Array.isArray(row.concepts) && row.concepts.length >= 3 && row.concepts.every((c) => typeof c === 'string'))).toBe(true);
  });

  it('TL;DR test: 500 prompts ending in "TL;DR:" with reference summaries', async () => {
    const result = await loadDatasetSplit(hubFiles(), { repo: 'CarperAI/openai_summarize_tldr', split: 'test' });
    expect(result.numRows).toBe(500);
    expect(result.rows).toHaveLength(500);
    expect(result.columns).toEqual([
      { name: 'prompt', type: 'string' },
      { name: 'label', type: 'string' },
    ]);
    expect(result.rows.every((row) => String(row.prompt).startsWith('SUBREDDIT: r/') && String(row.prompt).endsWith('TL;DR:'))).toBe(true);
  });
});

describe('task datasets over HTTP, a second time', () => {
  it('come from the cache: only the file list is asked for again', async () => {
    const hub = () => createHubFiles({ endpoint: server?.url, cacheDir, offline: false });
    await (await openHubDataset(hub(), { repo: 'stanfordnlp/imdb' })).readRows('test[:3]');
    const start = server?.requests.length ?? 0;
    const preview = await loadDatasetSplit(hub(), { repo: 'stanfordnlp/imdb', split: 'test[:3]', limit: 2 });
    expect([preview.numRows, preview.rows.length]).toEqual([3, 2]);
    expect(server?.requests.slice(start).map((request) => request.url)).toEqual(['/api/datasets/stanfordnlp/imdb/tree/main?recursive=true']);
  });
});
