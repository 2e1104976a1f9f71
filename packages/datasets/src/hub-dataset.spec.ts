import { DatasetError, InvalidArgumentError } from '@rlgf/contracts';
import { createHubFiles } from '@rlgf/hub';
import { rejectionOf } from '@rlgf/testing';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeNumbersShard } from './__fixtures__/write-parquet';
import { openHubDataset } from './hub-dataset';

// A mirror with `acme/numbers`: train = ids 0..29 in shards of 10, 5 and 15 rows (4-row groups),
// test = ids 1000..1007 gzip-compressed; and `acme/two-configs` with configs `en` and `fr`.
const mirrorDir = mkdtempSync(join(tmpdir(), 'rlgf-datasets-'));
const numbers = join(mirrorDir, 'datasets/acme/numbers');
writeNumbersShard(join(numbers, 'data/train-00000-of-00003.parquet'), 0, 10);
writeNumbersShard(join(numbers, 'data/train-00001-of-00003.parquet'), 10, 5);
writeNumbersShard(join(numbers, 'data/train-00002-of-00003.parquet'), 15, 15);
writeNumbersShard(join(numbers, 'data/test-00000-of-00001.parquet'), 1000, 8, { codec: 'GZIP' });
writeFileSync(join(numbers, 'README.md'), '# numbers');
writeNumbersShard(join(mirrorDir, 'datasets/acme/two-configs/en/train-00000-of-00001.parquet'), 0, 3);
writeNumbersShard(join(mirrorDir, 'datasets/acme/two-configs/fr/train-00000-of-00001.parquet'), 500, 2);
mkdirSync(join(mirrorDir, 'datasets/acme/no-parquet'), { recursive: true });
writeFileSync(join(mirrorDir, 'datasets/acme/no-parquet/train.csv'), 'id\n1\n');
afterAll(() => rmSync(mirrorDir, { recursive: true, force: true }));

const hub = createHubFiles({ mirrorDir, cacheDir: join(mirrorDir, 'unused-cache'), offline: true });
const ids = (rows: Record<string, unknown>[]) => rows.map((row) => row.id);
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, index) => from + index);

describe('openHubDataset over several shards', () => {
  it('finds the single config and its splits', async () => {
    const dataset = await openHubDataset(hub, { repo: 'acme/numbers' });
    expect(dataset.config).toBe('default');
    expect(dataset.configs).toEqual(['default']);
    expect(dataset.splits()).toEqual(['train', 'test']);
  });

  it('maps split rows to the shards that hold them', async () => {
    const dataset = await openHubDataset(hub, { repo: 'acme/numbers' });
    expect(await dataset.numRows('train')).toBe(30);
    expect(ids(await dataset.readRows('train[8:17]'))).toEqual(range(8, 17));
    expect(ids(await dataset.readRows('train[-3:]'))).toEqual([27, 28, 29]);
    // 50% of 30 rows = row 15, the first row of the third shard.
    expect(ids(await dataset.readRows('train[50%:]'))).toEqual(range(15, 30));
    expect(ids(await dataset.readRows('train'))).toEqual(range(0, 30));
  });

  it('concatenates terms in order and applies the limit across them', async () => {
    const dataset = await openHubDataset(hub, { repo: 'acme/numbers' });
    expect(ids(await dataset.readRows('train[:2]+test[:2]'))).toEqual([0, 1, 1000, 1001]);
    expect(ids(await dataset.readRows('train[-2:]+test', { limit: 3 }))).toEqual([28, 29, 1000]);
    expect(await dataset.numRows('train[-2:]+test')).toBe(10);
    expect(await dataset.readRows('train', { limit: 0 })).toEqual([]);
  });

  it('returns the chosen columns in the order asked', async () => {
    const dataset = await openHubDataset(hub, { repo: 'acme/numbers' });
    const rows = await dataset.readRows('test[:2]', { columns: ['tags', 'id'] });
    expect(rows).toEqual([
      { tags: ['even'], id: 1000 },
      { tags: ['odd', 'x1001'], id: 1001 },
    ]);
    expect(Object.keys(rows[0])).toEqual(['tags', 'id']);
  });

  it('previews a spec: row count, columns and the first rows in one call', async () => {
    const dataset = await openHubDataset(hub, { repo: 'acme/numbers' });
    expect(await dataset.preview('train[10:]', { limit: 2, columns: ['name', 'id'] })).toEqual({
      repo: 'acme/numbers',
      config: 'default',
      splitSpec: 'train[10:]',
      numRows: 20,
      columns: [
        { name: 'name', type: 'string' },
        { name: 'id', type: 'int64' },
      ],
      rows: [
        { name: 'n10', id: 10 },
        { name: 'n11', id: 11 },
      ],
    });
  });

  it('names missing columns and the present ones', async () => {
    const dataset = await openHubDataset(hub, { repo: 'acme/numbers' });
    const error = await rejectionOf<DatasetError>(dataset.readRows('test', { columns: ['id', 'text', 'label'] }));
    expect(DatasetError.isInstance(error)).toBe(true);
    expect(error.message).toBe('dataset acme/numbers (config default, split test) has no column "text", "label"; its columns: id, name, tags');
  });

  it('names an unknown split, a malformed spec and a bad limit', async () => {
    const dataset = await openHubDataset(hub, { repo: 'acme/numbers' });
    await expect(dataset.readRows('validation')).rejects.toThrow('split spec "validation": unknown split "validation"; available splits: train, test');
    await expect(dataset.numRows('train[:10]+dev')).rejects.toThrow('unknown split "dev"; available splits: train, test');
    await expect(dataset.columns('tset')).rejects.toThrow('unknown split "tset"');
    await expect(dataset.readRows('train[:5')).rejects.toThrow('split spec "train[:5": cannot read "train[:5"');
    await expect(dataset.readRows('train', { limit: -1 })).rejects.toThrow(InvalidArgumentError);
  });
});

describe('openHubDataset config choice', () => {
  it('asks for a config when there are several, listing them', async () => {
    const error = await rejectionOf<DatasetError>(openHubDataset(hub, { repo: 'acme/two-configs' }));
    expect(DatasetError.isInstance(error)).toBe(true);
    expect(error.message).toBe('dataset acme/two-configs has several configs (en, fr) and none was chosen');
  });

  it('reads the chosen config, and refuses an unknown one', async () => {
    const french = await openHubDataset(hub, { repo: 'acme/two-configs', config: 'fr' });
    expect(ids(await french.readRows('train'))).toEqual([500, 501]);
    await expect(openHubDataset(hub, { repo: 'acme/two-configs', config: 'de' })).rejects.toThrow(
      'dataset acme/two-configs has no config "de"; available configs: en, fr',
    );
  });

  it('says when a repository has no parquet files', async () => {
    await expect(openHubDataset(hub, { repo: 'acme/no-parquet' })).rejects.toThrow('dataset acme/no-parquet has no parquet data files');
  });
});
