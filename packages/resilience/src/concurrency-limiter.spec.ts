import { InvalidArgumentError } from '@rlgf/contracts';
import { createConcurrencyLimiter } from './concurrency-limiter';

describe('createConcurrencyLimiter', () => {
  it('runs at most `limit` tasks at once and starts waiting ones in arrival order', async () => {
    const limiter = createConcurrencyLimiter(2);
    const started: number[] = [];
    const finish: (() => void)[] = [];
    const tasks = [0, 1, 2, 3, 4].map((i) =>
      limiter.run(
        () =>
          new Promise<number>((resolve) => {
            started.push(i);
            finish[i] = () => resolve(i);
          }),
      ),
    );
    await Promise.resolve();
    expect([started, limiter.inFlight, limiter.waiting]).toEqual([[0, 1], 2, 3]);
    finish[1]();
    await tasks[1];
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2]);
    finish[0]();
    finish[2]();
    await Promise.all([tasks[0], tasks[2]]);
    await Promise.resolve();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    finish[3]();
    finish[4]();
    expect(await Promise.all(tasks)).toEqual([0, 1, 2, 3, 4]);
    expect([limiter.inFlight, limiter.waiting, limiter.maxInFlight]).toEqual([0, 0, 2]);
  });

  it('frees the slot when a task fails', async () => {
    const limiter = createConcurrencyLimiter(1);
    await expect(limiter.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await limiter.run(async () => 'next')).toBe('next');
  });

  it('drops a waiter whose signal aborts, without giving it a slot', async () => {
    const limiter = createConcurrencyLimiter(1);
    const release = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    const after = limiter.acquire();
    controller.abort(new Error('gave up'));
    await expect(waiting).rejects.toThrow('gave up');
    expect(limiter.waiting).toBe(1);
    release();
    const releaseAfter = await after;
    expect(limiter.inFlight).toBe(1);
    releaseAfter();
    releaseAfter();
    expect(limiter.inFlight).toBe(0);
    await expect(limiter.acquire(controller.signal)).rejects.toThrow('gave up');
  });

  it('rejects a limit below one', () => {
    expect(() => createConcurrencyLimiter(0)).toThrow(InvalidArgumentError);
    expect(() => createConcurrencyLimiter(1.5)).toThrow(/integer >= 1/);
  });
});
