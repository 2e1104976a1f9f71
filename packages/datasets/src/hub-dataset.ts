import { DatasetError, InvalidArgumentError, type HubFilesV1 } from '@rlgf/contracts';
import { discoverParquetLayout } from './data-files';
import type { DatasetColumn } from './parquet-columns';
import { openParquetShard, type DatasetRow, type DatasetShard } from './parquet-shard';
import { planShardReads } from './shard-plan';
import { checkSplitNames, parseSplitSpec, resolveSplitRanges, type SplitRowRange } from './split-spec';

export interface OpenHubDatasetOptions {
  /** `owner/name` of a dataset repository. */
  readonly repo: string;
  /** Needed only when the repository has several configs. */
  readonly config?: string;
  /** Branch, tag or commit. Default `main`. */
  readonly revision?: string;
  readonly abortSignal?: AbortSignal;
}

export interface ReadRowsOptions {
  /** Only these columns, in this order. Default: all. */
  readonly columns?: readonly string[];
  /** At most this many rows, from the start of the spec. */
  readonly limit?: number;
  readonly abortSignal?: AbortSignal;
}

/** A split spec's size, schema and first rows: what `rlgf datasets show` prints. */
export interface SplitPreview {
  readonly repo: string;
  readonly config: string;
  readonly splitSpec: string;
  /** Rows the whole spec selects (before `limit`). */
  readonly numRows: number;
  readonly columns: readonly DatasetColumn[];
  readonly rows: DatasetRow[];
}

/** A parquet dataset repository of the Hub, one config chosen. */
export interface HubDataset {
  readonly repo: string;
  readonly config: string;
  readonly configs: readonly string[];
  /** Split names of the config, `train`, `validation`, `test` first. */
  splits(): string[];
  /** Rows a split spec (`train[:80%]`, `train[:10]+test[:10]`) selects. Reads only parquet footers. */
  numRows(splitSpec: string): Promise<number>;
  /** Columns of the first split the spec names. */
  columns(splitSpec: string): Promise<DatasetColumn[]>;
  /** Rows of a split spec, reading only the row groups that hold them. */
  readRows(splitSpec: string, options?: ReadRowsOptions): Promise<DatasetRow[]>;
  /** Row count, columns and the first `limit` rows in one call. */
  preview(splitSpec: string, options?: ReadRowsOptions): Promise<SplitPreview>;
}

function chooseConfig(repo: string, available: readonly string[], requested: string | undefined): string {
  if (available.length === 0) {
    throw new DatasetError({
      message: `dataset ${repo} has no parquet data files`,
      hint: 'only parquet is read; the Hub keeps a parquet conversion of most datasets at revision "refs/convert/parquet"',
    });
  }
  if (requested !== undefined) {
    if (available.includes(requested)) return requested;
    throw new DatasetError({ message: `dataset ${repo} has no config "${requested}"; available configs: ${available.join(', ')}`, hint: 'pick one of the listed configs' });
  }
  if (available.length > 1) {
    throw new DatasetError({ message: `dataset ${repo} has several configs (${available.join(', ')}) and none was chosen`, hint: 'pass one of them as the config' });
  }
  return available[0];
}

function checkLimit(limit: number | undefined): void {
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
    throw new InvalidArgumentError({ argument: 'limit', value: limit, expected: 'a non-negative integer' });
  }
}

/**
 * Opens a dataset repository stored as parquet: lists its files, finds its configs and splits
 * (see {@link discoverParquetLayout}) and picks the config. Shards are fetched through `hub` when
 * first needed, so a mirror, the cache and offline mode behave as for any Hub file.
 */
export async function openHubDataset(hub: HubFilesV1, options: OpenHubDatasetOptions): Promise<HubDataset> {
  const { repo, revision } = options;
  const files = await hub.listFiles({ repoType: 'dataset', repo, revision }, { abortSignal: options.abortSignal });
  const layout = discoverParquetLayout(files);
  const configs = [...layout.keys()];
  const config = chooseConfig(repo, configs, options.config);
  return createShardedDataset({
    repo,
    config,
    configs,
    splitFiles: layout.get(config) ?? new Map<string, readonly string[]>(),
    openShard: (path, abortSignal) => hub.resolveFile({ repoType: 'dataset', repo, revision, path }, { abortSignal }).then((file) => openParquetShard(file)),
  });
}

export interface ShardedDatasetSettings {
  /** What the dataset is called in messages: a Hub repository or a local path. */
  readonly repo: string;
  readonly config: string;
  readonly configs: readonly string[];
  /** The files of each split, in order. */
  readonly splitFiles: ReadonlyMap<string, readonly string[]>;
  /** Opens one file of a split; called once per file, when first needed. */
  openShard(path: string, abortSignal?: AbortSignal): Promise<DatasetShard>;
}

/**
 * A dataset over split files, whatever their format: split specs, row counts, columns and row
 * reads as {@link HubDataset} describes them. Hub datasets and local files both build on it, so
 * slicing (`train[:80%]`) means the same for both.
 */
export function createShardedDataset(settings: ShardedDatasetSettings): HubDataset {
  const { repo, config, configs, splitFiles } = settings;
  const splitNames = [...splitFiles.keys()];
  const shards = new Map<string, Promise<DatasetShard>>();

  const shardOf = (path: string, abortSignal?: AbortSignal): Promise<DatasetShard> => {
    let shard = shards.get(path);
    if (!shard) {
      shard = settings.openShard(path, abortSignal);
      shard.catch(() => shards.delete(path));
      shards.set(path, shard);
    }
    return shard;
  };
  const shardsOf = (split: string, abortSignal?: AbortSignal) => Promise.all((splitFiles.get(split) ?? []).map((path) => shardOf(path, abortSignal)));

  const rangesOf = async (splitSpec: string, abortSignal?: AbortSignal): Promise<SplitRowRange[]> => {
    const instructions = parseSplitSpec(splitSpec);
    checkSplitNames(splitSpec, instructions, splitNames);
    const involved = [...new Set(instructions.map((instruction) => instruction.split))];
    const counts = await Promise.all(involved.map(async (split) => (await shardsOf(split, abortSignal)).reduce((sum, shard) => sum + shard.numRows, 0)));
    return resolveSplitRanges(splitSpec, instructions, Object.fromEntries(involved.map((split, index) => [split, counts[index]])));
  };

  const checkColumns = async (ranges: readonly SplitRowRange[], wanted: readonly string[], abortSignal?: AbortSignal) => {
    for (const split of new Set(ranges.map((range) => range.split))) {
      const [first] = await shardsOf(split, abortSignal);
      const present = first.columns.map((column) => column.name);
      const missing = wanted.filter((name) => !present.includes(name));
      if (missing.length > 0) {
        throw new DatasetError({
          message: `dataset ${repo} (config ${config}, split ${split}) has no column ${missing.map((name) => `"${name}"`).join(', ')}; its columns: ${present.join(', ')}`,
          hint: 'request only the listed columns',
        });
      }
    }
  };

  const dataset: HubDataset = {
    repo,
    config,
    configs,
    splits: () => [...splitNames],
    async numRows(splitSpec) {
      return (await rangesOf(splitSpec)).reduce((sum, range) => sum + range.end - range.start, 0);
    },
    async columns(splitSpec) {
      const [first] = parseSplitSpec(splitSpec);
      checkSplitNames(splitSpec, [first], splitNames);
      const [shard] = await shardsOf(first.split);
      return [...shard.columns];
    },
    async readRows(splitSpec, readOptions = {}) {
      const { columns, limit, abortSignal } = readOptions;
      checkLimit(limit);
      const ranges = await rangesOf(splitSpec, abortSignal);
      if (columns) await checkColumns(ranges, columns, abortSignal);
      const rows: DatasetRow[] = [];
      let remaining = limit ?? Number.POSITIVE_INFINITY;
      for (const range of ranges) {
        const end = Math.min(range.end, range.start + remaining);
        const splitShards = await shardsOf(range.split, abortSignal);
        for (const read of planShardReads(splitShards.map((shard) => shard.numRows), range.start, end)) {
          rows.push(...(await splitShards[read.shard].read(read.rowStart, read.rowEnd, columns)));
        }
        remaining -= Math.max(end - range.start, 0);
        if (remaining <= 0) break;
      }
      return columns ? rows.map((row) => Object.fromEntries(columns.map((name) => [name, row[name]]))) : rows;
    },
    async preview(splitSpec, readOptions = {}) {
      const [numRows, allColumns, rows] = await Promise.all([dataset.numRows(splitSpec), dataset.columns(splitSpec), dataset.readRows(splitSpec, readOptions)]);
      const wanted = readOptions.columns;
      const columns = wanted ? wanted.flatMap((name) => allColumns.filter((column) => column.name === name)) : allColumns;
      return { repo, config, splitSpec, numRows, columns, rows };
    },
  };
  return dataset;
}
