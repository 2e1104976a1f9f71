import type { HubFilesV1 } from '@rlgf/contracts';
import { openHubDataset, type OpenHubDatasetOptions, type ReadRowsOptions, type SplitPreview } from './hub-dataset';

export interface LoadDatasetSplitOptions extends OpenHubDatasetOptions, Omit<ReadRowsOptions, 'abortSignal'> {
  /** Split spec: `train`, `train[:80%]`, `test[-100:]`, `train[:10]+test[:10]`. */
  readonly split: string;
}

/**
 * Opens a dataset and reads one split spec: rows (at most `limit`), the spec's total row count
 * and the columns, in one call.
 */
export async function loadDatasetSplit(hub: HubFilesV1, options: LoadDatasetSplitOptions): Promise<SplitPreview> {
  const dataset = await openHubDataset(hub, options);
  return dataset.preview(options.split, { columns: options.columns, limit: options.limit, abortSignal: options.abortSignal });
}
