import { DatasetError } from '@rlgf/contracts';
import { existsSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { createShardedDataset, type HubDataset } from '../hub-dataset';
import { openParquetShard, type DatasetShard } from '../parquet-shard';
import { openCsvShard, openJsonlShard } from './text-shard';

/** Local data files: one path or list (all `train`), or split name -> path(s). */
export type LocalDataFiles = string | readonly string[] | Readonly<Record<string, string | readonly string[]>>;

const readers: Readonly<Record<string, (file: string) => Promise<DatasetShard>>> = {
  '.jsonl': openJsonlShard,
  '.ndjson': openJsonlShard,
  '.csv': openCsvShard,
  '.parquet': (file) => openParquetShard(file),
};

/** True for a string that names a local data file rather than a Hub repository (`./x.jsonl`, `/data/x.csv`, `x.parquet`). */
export function isLocalDataPath(value: string): boolean {
  return value.startsWith('.') || value.startsWith('/') || extname(value).toLowerCase() in readers;
}

function checkedFile(path: string, baseDir: string): string {
  const file = resolve(baseDir, path);
  const extension = extname(file).toLowerCase();
  if (!(extension in readers)) {
    throw new DatasetError({ message: `cannot read ${path}: unknown data file type "${extension}"`, hint: `give a ${Object.keys(readers).join(', ')} file` });
  }
  if (!existsSync(file) || !statSync(file).isFile()) throw new DatasetError({ message: `no data file at ${file}`, hint: 'paths are relative to the working directory' });
  return file;
}

/**
 * Local JSON Lines, CSV or parquet files as a dataset with the same split specs as a Hub dataset
 * (`train[:80%]`, `test[-100:]`). A single file or a list is the split `train`; a mapping names
 * the splits. Paths are relative to `baseDir`.
 */
export function openLocalDataset(files: LocalDataFiles, options: { readonly baseDir: string }): HubDataset {
  const bySplit: Record<string, string | readonly string[]> = typeof files === 'string' || Array.isArray(files) ? { train: files as string | readonly string[] } : (files as Record<string, string | readonly string[]>);
  if (Object.keys(bySplit).length === 0) throw new DatasetError({ message: 'no data files given', hint: 'name a file, or a mapping of split names to files' });
  const splitFiles = new Map(Object.entries(bySplit).map(([split, paths]) => [split, (typeof paths === 'string' ? [paths] : paths).map((path) => checkedFile(path, options.baseDir))]));
  const name = typeof files === 'string' ? files : [...splitFiles.values()].flat().join(', ');
  return createShardedDataset({ repo: name, config: 'default', configs: ['default'], splitFiles, openShard: (file) => readers[extname(file).toLowerCase()](file) });
}
