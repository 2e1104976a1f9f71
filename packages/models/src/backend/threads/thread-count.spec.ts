import { availableParallelism } from 'node:os';
import { setThreads, threadCount, threadingMinimumRows, threadingMinimumWork, withThreadCount } from './thread-count';

describe('withThreadCount', () => {
  afterEach(() => setThreads());

  it('runs the work on the given count and returns to the count in force before, the thresholds untouched', async () => {
    setThreads(4, { minimumWork: 0, minimumRows: 0 });
    expect(await withThreadCount(1, async () => threadCount())).toBe(1);
    expect([threadCount(), threadingMinimumWork(), threadingMinimumRows()]).toEqual([4, 0, 0]);
  });

  it('returns to the default (the cores) when none was set, also when the work fails', async () => {
    await expect(withThreadCount(3, async () => Promise.reject(new Error('failed')))).rejects.toThrow('failed');
    expect(threadCount()).toBe(availableParallelism());
  });

  it('checks the count as setThreads does', async () => {
    await expect(withThreadCount(0, async () => 1)).rejects.toThrow('threads: got 0');
  });
});
