import { jobLimit, threadsPerJob } from './job-limit';

describe('jobLimit', () => {
  it('never runs more than the limit at once and returns results in submission order', async () => {
    const limit = jobLimit(2);
    let running = 0;
    let peak = 0;
    const job = (value: number, ticks: number) => async () => {
      running += 1;
      peak = Math.max(peak, running);
      for (let i = 0; i < ticks; i++) await new Promise((resolve) => setImmediate(resolve));
      running -= 1;
      return value;
    };
    const results = await Promise.all([5, 1, 4, 2, 3].map((ticks, index) => limit(job(index, ticks))));
    expect(results).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
    expect(running).toBe(0);
  });

  it('frees the slot of a failed job', async () => {
    const limit = jobLimit(1);
    await expect(limit(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limit(async () => 'next')).resolves.toBe('next');
  });

  it('rejects a concurrency that is not a whole number of at least 1', () => {
    expect(() => jobLimit(0)).toThrow('EXPERIMENT_JOBS must be a whole number ≥ 1, got 0');
  });

  it('splits the cores among the jobs that run at once, one thread at least', () => {
    expect(threadsPerJob(1, 2)).toBe(2);
    expect(threadsPerJob(2, 2)).toBe(1);
    expect(threadsPerJob(2, 16)).toBe(8);
    expect(threadsPerJob(3, 16)).toBe(5);
    expect(threadsPerJob(4, 2)).toBe(1);
  });
});
