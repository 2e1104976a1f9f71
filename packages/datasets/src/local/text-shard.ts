import { DatasetError } from '@rlgf/contracts';
import { parse as parseCsv } from 'csv-parse/sync';
import { readFile } from 'node:fs/promises';
import type { DatasetColumn } from '../parquet-columns';
import type { DatasetRow, DatasetShard } from '../parquet-shard';

/** The `datasets` library's name for the type of a JSON value (`string`, `int64`, `list<string>`). */
function typeOf(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int64' : 'float64';
  if (Array.isArray(value)) {
    const items = [...new Set(value.map(typeOf).filter((type) => type !== undefined))];
    return `list<${items.length === 1 ? items[0] : items.length === 0 ? 'null' : 'json'}>`;
  }
  return 'json';
}

/** Columns in first-seen order; a column whose rows disagree (ints and floats aside) is `json`. */
function inferColumns(rows: readonly DatasetRow[]): DatasetColumn[] {
  const types = new Map<string, string | undefined>();
  for (const row of rows) {
    for (const [name, value] of Object.entries(row)) {
      const type = typeOf(value);
      const seen = types.get(name);
      if (!types.has(name) || seen === undefined) types.set(name, type);
      else if (type !== undefined && type !== seen) types.set(name, [seen, type].sort().join() === 'float64,int64' ? 'float64' : 'json');
    }
  }
  return [...types].map(([name, type]) => ({ name, type: type ?? 'null' }));
}

function inMemoryShard(file: string, rows: DatasetRow[]): DatasetShard {
  return {
    file,
    numRows: rows.length,
    columns: inferColumns(rows),
    async read(rowStart, rowEnd, columns) {
      const slice = rows.slice(rowStart, rowEnd);
      return columns ? slice.map((row) => Object.fromEntries(columns.map((name) => [name, row[name] ?? null]))) : slice.map((row) => ({ ...row }));
    },
  };
}

function unreadable(file: string, problem: string, hint: string): DatasetError {
  return new DatasetError({ message: `cannot read ${file}: ${problem}`, hint });
}

/** A JSON Lines file (one object per line, blank lines skipped), read whole: local files are small next to the Hub's. */
export async function openJsonlShard(file: string): Promise<DatasetShard> {
  const lines = (await readFile(file, 'utf8')).split(/\r?\n/);
  const rows: DatasetRow[] = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch (cause) {
      throw unreadable(file, `line ${index + 1} is not JSON (${cause instanceof Error ? cause.message : String(cause)})`, 'each line of a .jsonl file is one JSON object');
    }
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw unreadable(file, `line ${index + 1} is not a JSON object`, 'each line of a .jsonl file is one JSON object, e.g. {"prompt": "...", "reference": "..."}');
    }
    rows.push(row as DatasetRow);
  });
  return inMemoryShard(file, rows);
}

/** A CSV file with a header row. A column whose every value is a number is read as numbers, as `datasets` (pandas) infers them; others stay strings. */
export async function openCsvShard(file: string): Promise<DatasetShard> {
  let records: Record<string, string>[];
  try {
    records = parseCsv(await readFile(file, 'utf8'), { columns: true, skip_empty_lines: true, bom: true });
  } catch (cause) {
    throw unreadable(file, cause instanceof Error ? cause.message.split('\n')[0] : String(cause), 'a .csv file starts with a header row naming the columns; quote values that hold commas');
  }
  const numeric = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;
  const names = records.length > 0 ? Object.keys(records[0]) : [];
  const numericColumns = new Set(names.filter((name) => records.every((record) => numeric.test(record[name]))));
  return inMemoryShard(
    file,
    records.map((record) => Object.fromEntries(Object.entries(record).map(([name, value]) => [name, numericColumns.has(name) ? Number(value) : value]))),
  );
}
