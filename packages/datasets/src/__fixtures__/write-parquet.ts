import { parquetWriteBuffer } from 'hyparquet-writer';
import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { dirname } from 'node:path';

type WriteOptions = Parameters<typeof parquetWriteBuffer>[0];

/** Writes a parquet file with hyparquet-writer; `codec: 'GZIP'` uses node's zlib to compress. */
export function writeParquet(path: string, options: WriteOptions): void {
  mkdirSync(dirname(path), { recursive: true });
  const compressors = options.codec === 'GZIP' ? { GZIP: (input: Uint8Array) => new Uint8Array(gzipSync(input)) } : undefined;
  writeFileSync(path, new Uint8Array(parquetWriteBuffer({ compressors, ...options })));
}

/** A shard of the numbers fixture: `id` (int64) from `first` on, `name` = `n<id>`, `tags` a list of strings. */
export function writeNumbersShard(path: string, first: number, count: number, options: Partial<WriteOptions> = {}): void {
  const ids = Array.from({ length: count }, (_, index) => first + index);
  writeParquet(path, {
    columnData: [
      { name: 'id', data: ids.map(BigInt) },
      { name: 'name', data: ids.map((id) => `n${id}`) },
      { name: 'tags', data: ids.map((id) => (id % 2 === 0 ? ['even'] : ['odd', `x${id}`])) },
    ],
    schema: [
      { name: 'root', num_children: 3 },
      { name: 'id', type: 'INT64', repetition_type: 'REQUIRED' },
      { name: 'name', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      { name: 'tags', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
    ],
    rowGroupSize: 4,
    ...options,
  });
}
