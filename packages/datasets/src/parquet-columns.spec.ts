import type { FileMetaData, SchemaElement } from 'hyparquet';
import { describeColumns } from './parquet-columns';

const columnsOf = (schema: SchemaElement[]) => describeColumns({ schema } as FileMetaData);

describe('describeColumns', () => {
  it('names scalar types as the datasets library does', () => {
    expect(
      columnsOf([
        { name: 'root', num_children: 9 },
        { name: 'text', type: 'BYTE_ARRAY', converted_type: 'UTF8' },
        { name: 'label', type: 'INT64' },
        { name: 'idx', type: 'INT32' },
        { name: 'small', type: 'INT32', converted_type: 'INT_8' },
        { name: 'count', type: 'INT64', logical_type: { type: 'INTEGER', bitWidth: 64, isSigned: false } },
        { name: 'score', type: 'FLOAT' },
        { name: 'prob', type: 'DOUBLE' },
        { name: 'ok', type: 'BOOLEAN' },
        { name: 'raw', type: 'BYTE_ARRAY' },
      ]),
    ).toEqual([
      { name: 'text', type: 'string' },
      { name: 'label', type: 'int64' },
      { name: 'idx', type: 'int32' },
      { name: 'small', type: 'int8' },
      { name: 'count', type: 'uint64' },
      { name: 'score', type: 'float32' },
      { name: 'prob', type: 'float64' },
      { name: 'ok', type: 'bool' },
      { name: 'raw', type: 'binary' },
    ]);
  });

  it('reads 3-level and legacy 2-level lists, structs and bare repeated fields', () => {
    expect(
      columnsOf([
        { name: 'root', num_children: 4 },
        { name: 'concepts', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
        { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
        { name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
        { name: 'legacy', repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
        { name: 'array', type: 'INT32', repetition_type: 'REPEATED' },
        { name: 'answers', repetition_type: 'OPTIONAL', num_children: 2 },
        { name: 'text', type: 'BYTE_ARRAY', logical_type: { type: 'STRING' }, repetition_type: 'OPTIONAL' },
        { name: 'start', type: 'INT64', repetition_type: 'OPTIONAL' },
        { name: 'ids', type: 'INT64', repetition_type: 'REPEATED' },
      ]),
    ).toEqual([
      { name: 'concepts', type: 'list<string>' },
      { name: 'legacy', type: 'list<int32>' },
      { name: 'answers', type: 'struct<text: string, start: int64>' },
      { name: 'ids', type: 'list<int64>' },
    ]);
  });
});
