import { DatasetError } from '@rlgf/contracts';
import { rejectionOf, sharedHubMirror } from '@rlgf/testing';
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeNumbersShard } from './__fixtures__/write-parquet';
import { openParquetShard } from './parquet-shard';

const dir = mkdtempSync(join(tmpdir(), 'rlgf-parquet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openParquetShard', () => {
  it('reads a row range across row groups, int64 as numbers, lists as arrays', async () => {
    const path = join(dir, 'numbers.parquet');
    writeNumbersShard(path, 100, 10);
    const shard = await openParquetShard(path);
    expect(shard.numRows).toBe(10);
    expect(shard.columns).toEqual([
      { name: 'id', type: 'int64' },
      { name: 'name', type: 'string' },
      { name: 'tags', type: 'list<string>' },
    ]);
    // Rows 3..6 straddle the 4-row groups.
    expect(await shard.read(3, 6)).toEqual([
      { id: 103, name: 'n103', tags: ['odd', 'x103'] },
      { id: 104, name: 'n104', tags: ['even'] },
      { id: 105, name: 'n105', tags: ['odd', 'x105'] },
    ]);
    expect(await shard.read(8, 10, ['id'])).toEqual([{ id: 108 }, { id: 109 }]);
  });

  it('reads gzip-compressed files through hyparquet-compressors', async () => {
    const path = join(dir, 'gzip.parquet');
    writeNumbersShard(path, 0, 6, { codec: 'GZIP' });
    const metadata = await parquetMetadataAsync(await asyncBufferFromFile(path));
    expect(metadata.row_groups[0].columns[0].meta_data?.codec).toBe('GZIP');
    expect((await (await openParquetShard(path)).read(4, 6)).map((row) => row.name)).toEqual(['n4', 'n5']);
  });

  it('reads only the row groups it needs from a 20 MB IMDB shard', async () => {
    const path = join(sharedHubMirror(), 'datasets/stanfordnlp/imdb/plain_text/test-00000-of-00001.parquet');
    let bytesRead = 0;
    const counting = async (file: string) => {
      const buffer = await asyncBufferFromFile(file);
      return {
        byteLength: buffer.byteLength,
        slice: (start: number, end?: number) => {
          bytesRead += (end ?? buffer.byteLength) - start;
          return buffer.slice(start, end);
        },
      };
    };
    const shard = await openParquetShard(path, counting);
    const rows = await shard.read(0, 3);
    expect(rows.map((row) => row.label)).toEqual([0, 0, 0]);
    // The first row group holds 1,000 of the 25,000 rows; the rest of the file stays unread.
    expect(bytesRead).toBeLessThan(statSync(path).size / 5);
  });

  it('names a file that is not parquet', async () => {
    const path = join(dir, 'broken.parquet');
    writeFileSync(path, 'this is not parquet at all');
    const error = await rejectionOf<DatasetError>(openParquetShard(path));
    expect(DatasetError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(new RegExp(`^cannot read parquet file ${path}: `));
    expect(error.hint).toMatch(/cache/);
  });
});
