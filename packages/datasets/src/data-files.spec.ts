import { discoverParquetLayout, type DatasetLayout } from './data-files';

const asObject = (layout: DatasetLayout) =>
  Object.fromEntries([...layout].map(([config, splits]) => [config, Object.fromEntries([...splits].map(([split, files]) => [split, [...files]]))]));

describe('discoverParquetLayout', () => {
  it('reads the IMDB and CommonGen repositories as the datasets library does', () => {
    expect(asObject(discoverParquetLayout(['plain_text/test-00000-of-00001.parquet', 'plain_text/train-00000-of-00001.parquet', 'README.md']))).toEqual({
      plain_text: { train: ['plain_text/train-00000-of-00001.parquet'], test: ['plain_text/test-00000-of-00001.parquet'] },
    });
    const commonGen = discoverParquetLayout([
      'data/test-00000-of-00001.parquet',
      'data/train-00000-of-00001.parquet',
      'data/validation-00000-of-00001.parquet',
    ]);
    expect([...commonGen.keys()]).toEqual(['default']);
    expect([...(commonGen.get('default')?.keys() ?? [])]).toEqual(['train', 'validation', 'test']);
  });

  it('groups shards of one split in order, including hashed shard names', () => {
    expect(
      asObject(
        discoverParquetLayout([
          'data/train-00001-of-00002-9f8e.parquet',
          'data/train-00000-of-00002-1a2b.parquet',
          'data/test-00000-of-00001.parquet',
          'data/train-00000-of-00002-1a2b.json',
        ]),
      ),
    ).toEqual({
      default: { train: ['data/train-00000-of-00002-1a2b.parquet', 'data/train-00001-of-00002-9f8e.parquet'], test: ['data/test-00000-of-00001.parquet'] },
    });
  });

  it('does not take a split folder holding shards for a config', () => {
    expect(asObject(discoverParquetLayout(['data/train/train-00000-of-00001.parquet']))).toEqual({
      default: { train: ['data/train/train-00000-of-00001.parquet'] },
    });
  });

  it('keeps custom split names from shard file names', () => {
    expect(asObject(discoverParquetLayout(['data/unsupervised-00000-of-00001.parquet', 'data/train-00000-of-00001.parquet']))).toEqual({
      default: { train: ['data/train-00000-of-00001.parquet'], unsupervised: ['data/unsupervised-00000-of-00001.parquet'] },
    });
  });

  it('reads split keywords in file and folder names, mapping synonyms to the canonical split', () => {
    expect(asObject(discoverParquetLayout(['train.parquet', 'dev.parquet', 'testing_0.parquet', 'notes.parquet']))).toEqual({
      default: { train: ['train.parquet'], validation: ['dev.parquet'], test: ['testing_0.parquet'] },
    });
    expect(asObject(discoverParquetLayout(['plain_text/train/0000.parquet', 'plain_text/train/0001.parquet', 'plain_text/partial-test/0000.parquet']))).toEqual({
      plain_text: { train: ['plain_text/train/0000.parquet', 'plain_text/train/0001.parquet'], test: ['plain_text/partial-test/0000.parquet'] },
    });
  });

  it('makes every file of a config without split names its train split', () => {
    expect(asObject(discoverParquetLayout(['reviews/part-a.parquet', 'reviews/part-b.parquet']))).toEqual({
      reviews: { train: ['reviews/part-a.parquet', 'reviews/part-b.parquet'] },
    });
  });

  it('lists several configs, default first', () => {
    expect([...discoverParquetLayout(['zeta/train.parquet', 'alpha/train.parquet', 'train.parquet']).keys()]).toEqual(['default', 'alpha', 'zeta']);
  });

  it('finds nothing without parquet files', () => {
    expect(discoverParquetLayout(['README.md', 'data/train.csv']).size).toBe(0);
  });
});
