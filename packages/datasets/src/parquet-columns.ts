import type { FileMetaData, SchemaElement, SchemaTree } from 'hyparquet';
import { parquetSchema } from 'hyparquet';

/** A column of a split, with its type in the `datasets` library's vocabulary (`string`, `int64`, `list<string>`). */
export interface DatasetColumn {
  readonly name: string;
  readonly type: string;
}

const timeUnits = { MILLIS: 'ms', MICROS: 'us', NANOS: 'ns' } as const;

function leafType(element: SchemaElement): string {
  const logical = element.logical_type;
  const converted = element.converted_type;
  if (logical?.type === 'STRING' || logical?.type === 'ENUM' || converted === 'UTF8' || converted === 'ENUM') return 'string';
  if (logical?.type === 'JSON' || converted === 'JSON') return 'json';
  if (logical?.type === 'INTEGER') return `${logical.isSigned ? 'int' : 'uint'}${logical.bitWidth}`;
  const integer = /^(U?INT)_(\d+)$/.exec(converted ?? '');
  if (integer) return `${integer[1].toLowerCase()}${integer[2]}`;
  if (logical?.type === 'DECIMAL' || converted === 'DECIMAL') return `decimal(${element.precision},${element.scale})`;
  if (logical?.type === 'DATE' || converted === 'DATE') return 'date32';
  if (logical?.type === 'TIMESTAMP') return `timestamp[${timeUnits[logical.unit]}]`;
  if (converted === 'TIMESTAMP_MILLIS') return 'timestamp[ms]';
  if (converted === 'TIMESTAMP_MICROS') return 'timestamp[us]';
  if (logical?.type === 'FLOAT16') return 'float16';
  const physical: Record<string, string> = {
    BOOLEAN: 'bool',
    INT32: 'int32',
    INT64: 'int64',
    INT96: 'timestamp[ns]',
    FLOAT: 'float32',
    DOUBLE: 'float64',
    BYTE_ARRAY: 'binary',
    FIXED_LEN_BYTE_ARRAY: 'binary',
  };
  return physical[element.type ?? ''] ?? 'unknown';
}

/** The element node of a LIST group, under parquet's backward-compatibility rules for 2-level lists. */
function listElement(list: SchemaTree): SchemaTree {
  const repeated = list.children[0];
  const isElementItself =
    repeated.children.length !== 1 || repeated.element.name === 'array' || repeated.element.name === `${list.element.name}_tuple`;
  return isElementItself ? repeated : repeated.children[0];
}

function describeNode(node: SchemaTree, asListElement = false): string {
  const element = node.element;
  let type: string;
  if (element.converted_type === 'LIST' || element.logical_type?.type === 'LIST') {
    type = `list<${describeNode(listElement(node), true)}>`;
  } else if (element.converted_type === 'MAP' || element.converted_type === 'MAP_KEY_VALUE' || element.logical_type?.type === 'MAP') {
    const [key, value] = node.children[0].children;
    type = `map<${describeNode(key)}, ${value ? describeNode(value) : 'null'}>`;
  } else if (node.children.length > 0) {
    type = `struct<${node.children.map((child) => `${child.element.name}: ${describeNode(child)}`).join(', ')}>`;
  } else {
    type = leafType(element);
  }
  // A bare repeated field (no LIST annotation) is a list too, unless it is already a list's element.
  return element.repetition_type === 'REPEATED' && !asListElement ? `list<${type}>` : type;
}

/** Top-level columns of a parquet file with their types. */
export function describeColumns(metadata: FileMetaData): DatasetColumn[] {
  return parquetSchema(metadata).children.map((child) => ({ name: child.element.name, type: describeNode(child) }));
}
