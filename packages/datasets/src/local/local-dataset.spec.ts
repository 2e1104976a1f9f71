import { DatasetError } from '@rlgf/contracts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeNumbersShard } from '../__fixtures__/write-parquet';
import { isLocalDataPath, openLocalDataset } from './local-dataset';

const dir = mkdtempSync(join(tmpdir(), 'rlgf-local-data-'));
const lines = Array.from({ length: 10 }, (_, i) => JSON.stringify({ prompt: `p${i}`, reference: `r${i}`, score: i / 2, tags: ['a'] }));
writeFileSync(join(dir, 'train.jsonl'), `${lines.join('\n')}\n\n`);
writeFileSync(join(dir, 'test.csv'), 'question,answer,n\n"Hi, you?",fine,1\nWhy,because,2\n');
writeNumbersShard(join(dir, 'numbers.parquet'), 0, 20);

const rejection = (run: () => unknown): unknown => {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
};

describe('local data files as a dataset', () => {
  it('reads a JSON Lines file as the train split, with types and datasets-style slicing', async () => {
    const dataset = openLocalDataset('train.jsonl', { baseDir: dir });
    expect(dataset.splits()).toEqual(['train']);
    expect(await dataset.numRows('train[:80%]')).toBe(8);
    expect(await dataset.columns('train')).toEqual([
      { name: 'prompt', type: 'string' },
      { name: 'reference', type: 'string' },
      { name: 'score', type: 'float64' },
      { name: 'tags', type: 'list<string>' },
    ]);
    expect((await dataset.readRows('train[-2:]', { columns: ['prompt'] })).map((row) => row.prompt)).toEqual(['p8', 'p9']);
  });

  it('reads CSV with a header (quoted commas kept, numeric columns as numbers) and maps splits to files', async () => {
    const dataset = openLocalDataset({ train: 'train.jsonl', test: 'test.csv' }, { baseDir: dir });
    expect(dataset.splits()).toEqual(['train', 'test']);
    expect(await dataset.readRows('test')).toEqual([
      { question: 'Hi, you?', answer: 'fine', n: 1 },
      { question: 'Why', answer: 'because', n: 2 },
    ]);
    expect((await dataset.preview('train[:1]+test[1:]')).rows.map((row) => row.prompt ?? row.question)).toEqual(['p0', 'Why']);
  });

  it('reads parquet through the same reader as Hub datasets', async () => {
    const dataset = openLocalDataset(join(dir, 'numbers.parquet'), { baseDir: '/' });
    expect(await dataset.numRows('train[50%:]')).toBe(10);
    expect((await dataset.readRows('train[3:5]')).map((row) => row.name)).toEqual(['n3', 'n4']);
  });

  it('names a missing file, an unknown type, a bad JSON line and an unknown split', async () => {
    expect(String(rejection(() => openLocalDataset('nope.jsonl', { baseDir: dir })))).toContain(`no data file at ${join(dir, 'nope.jsonl')}`);
    expect(String(rejection(() => openLocalDataset('data.txt', { baseDir: dir })))).toContain('unknown data file type ".txt"');
    writeFileSync(join(dir, 'bad.jsonl'), '{"prompt": "a"}\n{oops\n');
    const bad = openLocalDataset('bad.jsonl', { baseDir: dir });
    await expect(bad.numRows('train')).rejects.toThrow(/bad\.jsonl: line 2 is not JSON/);
    const error = await openLocalDataset('train.jsonl', { baseDir: dir }).numRows('test').catch((e: unknown) => e);
    expect(DatasetError.isInstance(error)).toBe(true);
    expect(String(error)).toContain('unknown split "test"; available splits: train');
  });

  it('tells local paths from Hub repositories', () => {
    expect(['./a.jsonl', '/x/b.csv', 'data.parquet', 'c.jsonl'].map(isLocalDataPath)).toEqual([true, true, true, true]);
    expect(isLocalDataPath('stanfordnlp/imdb')).toBe(false);
  });
});
