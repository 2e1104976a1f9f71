import { DatasetError } from '@rlgf/contracts';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { describeColumns, type DatasetColumn } from './parquet-columns';
import { toPlainValue } from './row-values';

export type DatasetRow = Record<string, unknown>;

/** One file of a split: its size and schema, rows on demand. */
export interface DatasetShard {
  readonly file: string;
  readonly numRows: number;
  readonly columns: readonly DatasetColumn[];
  /** Rows `[rowStart, rowEnd)`. */
  read(rowStart: number, rowEnd: number, columns?: readonly string[]): Promise<DatasetRow[]>;
}

/** A parquet file: size and schema from the footer; a read decompresses only the row groups that hold the rows. */
export type ParquetShard = DatasetShard;

function unreadable(file: string, cause: unknown): DatasetError {
  return new DatasetError({
    message: `cannot read parquet file ${file}: ${cause instanceof Error ? cause.message : String(cause)}`,
    hint: 'the file may be truncated or not parquet: delete it from the cache so that it is downloaded again, or check the mirror copy',
    cause,
  });
}

/**
 * Opens a local parquet file, reading only its footer. `openFile` gives byte-range access to the
 * file (default: hyparquet's file reader).
 */
export async function openParquetShard(file: string, openFile: (file: string) => Promise<AsyncBuffer> = asyncBufferFromFile): Promise<ParquetShard> {
  let buffer: AsyncBuffer;
  let metadata: FileMetaData;
  try {
    buffer = await openFile(file);
    metadata = await parquetMetadataAsync(buffer);
  } catch (error) {
    throw unreadable(file, error);
  }
  return {
    file,
    numRows: Number(metadata.num_rows),
    columns: describeColumns(metadata),
    async read(rowStart, rowEnd, columns) {
      try {
        const rows = await parquetReadObjects({ file: buffer, metadata, rowStart, rowEnd, columns: columns ? [...columns] : undefined, compressors });
        return rows.map((row) => toPlainValue({ ...row }) as DatasetRow);
      } catch (error) {
        throw unreadable(file, error);
      }
    },
  };
}
