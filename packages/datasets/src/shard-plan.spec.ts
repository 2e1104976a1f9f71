import { planShardReads } from './shard-plan';

describe('planShardReads', () => {
  const counts = [10, 0, 5, 20];

  it('reads within one shard', () => {
    expect(planShardReads(counts, 2, 7)).toEqual([{ shard: 0, rowStart: 2, rowEnd: 7 }]);
    expect(planShardReads(counts, 12, 14)).toEqual([{ shard: 2, rowStart: 2, rowEnd: 4 }]);
  });

  it('spans shard boundaries and skips empty shards', () => {
    expect(planShardReads(counts, 8, 17)).toEqual([
      { shard: 0, rowStart: 8, rowEnd: 10 },
      { shard: 2, rowStart: 0, rowEnd: 5 },
      { shard: 3, rowStart: 0, rowEnd: 2 },
    ]);
  });

  it('covers everything, and nothing for an empty range', () => {
    expect(planShardReads(counts, 0, 35)).toEqual([
      { shard: 0, rowStart: 0, rowEnd: 10 },
      { shard: 2, rowStart: 0, rowEnd: 5 },
      { shard: 3, rowStart: 0, rowEnd: 20 },
    ]);
    expect(planShardReads(counts, 10, 10)).toEqual([]);
    expect(planShardReads([], 0, 5)).toEqual([]);
  });
});
