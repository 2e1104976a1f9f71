export { discoverParquetLayout, type DatasetLayout } from './data-files';
export { openHubDataset, type HubDataset, type OpenHubDatasetOptions, type ReadRowsOptions, type SplitPreview } from './hub-dataset';
export { loadDatasetSplit, type LoadDatasetSplitOptions } from './load-dataset-split';
export type { DatasetColumn } from './parquet-columns';
export type { DatasetRow } from './parquet-shard';
export { parseSplitSpec, resolveSplitRanges, type SplitRowRange, type SplitSliceInstruction } from './split-spec';
export { createShardedDataset, type ShardedDatasetSettings } from './hub-dataset';
export { isLocalDataPath, openLocalDataset, type LocalDataFiles } from './local/local-dataset';
export type { DatasetShard } from './parquet-shard';
