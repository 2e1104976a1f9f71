import { GenerationQueue, type Submission } from './generation-queue';

/** A batch runner whose batches finish only when the test says so. */
function heldRunner() {
  const batches: { rows: string[]; finish: () => void; fail: (error: Error) => void }[] = [];
  const run = (rows: string[]) =>
    new Promise<string[]>((resolve, reject) => {
      batches.push({ rows, finish: () => resolve(rows.map((row) => row.toUpperCase())), fail: reject });
    });
  return { batches, run };
}

/** Lets timers and pending callbacks run (the queue starts its first batch after its window). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 1));
}

function accepted<T>(submission: Submission<T>): Promise<T[]> {
  if (submission.status !== 'accepted') throw new Error(`expected the request in, got ${submission.status}`);
  return submission.results;
}

describe('GenerationQueue', () => {
  it('groups the rows that arrive while a batch runs into the next batch, up to maxBatchRows', async () => {
    const runner = heldRunner();
    const queue = new GenerationQueue(runner.run, { maxBatchRows: 3, batchWindowMs: 0, maxRequests: 10 });
    const first = accepted(queue.submit(['a']));
    await until(() => runner.batches.length === 1);
    const later = ['b', 'c', 'd', 'e'].map((row) => accepted(queue.submit([row])));
    expect(queue.stats.queuedRows).toBe(4);
    runner.batches[0].finish();
    await until(() => runner.batches.length === 2);
    expect(runner.batches[1].rows).toEqual(['b', 'c', 'd']);
    runner.batches[1].finish();
    await until(() => runner.batches.length === 3);
    expect(runner.batches[2].rows).toEqual(['e']);
    runner.batches[2].finish();
    expect(await Promise.all([first, ...later])).toEqual([['A'], ['B'], ['C'], ['D'], ['E']]);
    expect(queue.stats).toEqual({ batches: 3, rows: 5, largestBatch: 3, activeRequests: 0, queuedRows: 0, refusedRequests: 0 });
  });

  it("answers a request with several rows once all of them are generated, in the request's order", async () => {
    const runner = heldRunner();
    const queue = new GenerationQueue(runner.run, { maxBatchRows: 2, batchWindowMs: 0, maxRequests: 10 });
    const results = accepted(queue.submit(['x', 'y', 'z']));
    await until(() => runner.batches.length === 1);
    runner.batches[0].finish();
    await until(() => runner.batches.length === 2);
    runner.batches[1].finish();
    expect(await results).toEqual(['X', 'Y', 'Z']);
  });

  it('refuses requests beyond maxRequests and counts them, admitting again once one finishes', async () => {
    const runner = heldRunner();
    const queue = new GenerationQueue(runner.run, { maxBatchRows: 4, batchWindowMs: 0, maxRequests: 2 });
    const first = accepted(queue.submit(['a']));
    const second = accepted(queue.submit(['b']));
    expect(queue.submit(['c']).status).toBe('full');
    expect(queue.stats.refusedRequests).toBe(1);
    await until(() => runner.batches.length === 1);
    runner.batches[0].finish();
    await first;
    expect(queue.submit(['d']).status).toBe('accepted');
    await until(() => runner.batches.length === 2);
    runner.batches[1].finish();
    await second;
  });

  it('counts a request from admission until its last row is done, even when its client left during the batch', async () => {
    const runner = heldRunner();
    const queue = new GenerationQueue(runner.run, { maxBatchRows: 4, batchWindowMs: 0, maxRequests: 2 });
    const preparing = queue.admit();
    expect(preparing.status).toBe('admitted');
    const controller = new AbortController();
    const running = accepted(queue.submit(['a'], controller.signal));
    await until(() => runner.batches.length === 1);
    expect(queue.admit().status).toBe('full');
    // The batch still computes the row of a client that left: its place stays taken until then.
    controller.abort(new Error('client left'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(queue.admit().status).toBe('full');
    runner.batches[0].finish();
    expect(await running).toEqual(['A']);
    expect(queue.stats.activeRequests).toBe(1);
    if (preparing.status !== 'admitted') throw new Error('unreachable');
    preparing.release();
    preparing.release();
    expect(queue.stats).toMatchObject({ activeRequests: 0, refusedRequests: 2 });
    await expect(preparing.submit(['x'])).rejects.toThrow('already used');
  });

  it('refuses the rows of an admitted request whose client left or whose queue closed before it submitted, giving its place back', async () => {
    const runner = heldRunner();
    const queue = new GenerationQueue(runner.run, { maxBatchRows: 4, batchWindowMs: 0, maxRequests: 2 });
    const gone = queue.admit();
    const late = queue.admit();
    if (gone.status !== 'admitted' || late.status !== 'admitted') throw new Error('expected both in');
    await expect(gone.submit(['a'], AbortSignal.abort(new Error('client left')))).rejects.toThrow('client left');
    await queue.close(new Error('shutting down'));
    await expect(late.submit(['b'])).rejects.toThrow('shutting down');
    expect(queue.stats).toMatchObject({ activeRequests: 0, queuedRows: 0, batches: 0 });
  });

  it('keeps first-come-first-served order: a row that does not fit ends the batch', async () => {
    const runner = heldRunner();
    const queue = new GenerationQueue(runner.run, {
      maxBatchRows: 4,
      batchWindowMs: 0,
      maxRequests: 10,
      fits: (batch, row) => [...batch, row].join('').length <= 4,
    });
    const first = accepted(queue.submit(['0']));
    await until(() => runner.batches.length === 1);
    const rest = ['aa', 'bbb', 'c'].map((row) => accepted(queue.submit([row])));
    runner.batches[0].finish();
    await until(() => runner.batches.length === 2);
    expect(runner.batches[1].rows).toEqual(['aa']);
    runner.batches[1].finish();
    await until(() => runner.batches.length === 3);
    expect(runner.batches[2].rows).toEqual(['bbb', 'c']);
    runner.batches[2].finish();
    await Promise.all([first, ...rest]);
  });

  it('fails every request of a failed batch with its error and goes on with the next batch', async () => {
    const runner = heldRunner();
    const queue = new GenerationQueue(runner.run, { maxBatchRows: 1, batchWindowMs: 0, maxRequests: 10 });
    const failing = accepted(queue.submit(['a']));
    const next = accepted(queue.submit(['b']));
    await until(() => runner.batches.length === 1);
    runner.batches[0].fail(new Error('out of memory'));
    await expect(failing).rejects.toThrow('out of memory');
    await until(() => runner.batches.length === 2);
    runner.batches[1].finish();
    expect(await next).toEqual(['B']);
  });

  it('drops the waiting rows of a request whose signal aborts', async () => {
    const runner = heldRunner();
    const queue = new GenerationQueue(runner.run, { maxBatchRows: 4, batchWindowMs: 0, maxRequests: 10 });
    const first = accepted(queue.submit(['a']));
    await until(() => runner.batches.length === 1);
    const controller = new AbortController();
    const gone = accepted(queue.submit(['b', 'c'], controller.signal));
    const kept = accepted(queue.submit(['d']));
    controller.abort(new Error('client left'));
    await expect(gone).rejects.toThrow('client left');
    expect(queue.stats.queuedRows).toBe(1);
    runner.batches[0].finish();
    await until(() => runner.batches.length === 2);
    expect(runner.batches[1].rows).toEqual(['d']);
    runner.batches[1].finish();
    await Promise.all([first, kept]);
  });

  it('waits batchWindowMs for company when idle, but starts at once when a full batch is waiting', async () => {
    const runner = heldRunner();
    const queue = new GenerationQueue(runner.run, { maxBatchRows: 2, batchWindowMs: 60_000, maxRequests: 10 });
    const results = [accepted(queue.submit(['a'])), accepted(queue.submit(['b']))];
    expect(runner.batches.map((batch) => batch.rows)).toEqual([['a', 'b']]);
    runner.batches[0].finish();
    await Promise.all(results);
  });

  it('on close refuses new requests, fails the waiting ones and lets the running batch finish', async () => {
    const runner = heldRunner();
    const queue = new GenerationQueue(runner.run, { maxBatchRows: 1, batchWindowMs: 0, maxRequests: 10 });
    const running = accepted(queue.submit(['a']));
    const waiting = accepted(queue.submit(['b']));
    await until(() => runner.batches.length === 1);
    const closed = queue.close(new Error('shutting down'));
    await expect(waiting).rejects.toThrow('shutting down');
    expect(queue.submit(['c']).status).toBe('closed');
    runner.batches[0].finish();
    await closed;
    expect(await running).toEqual(['A']);
    expect(runner.batches).toHaveLength(1);
  });
});
