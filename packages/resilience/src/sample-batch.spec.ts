import { systemClock } from './clock';
import { checkTextGuideRequest, runSampleBatch } from './sample-batch';

const options = { deadlineMs: 10_000, clock: systemClock };

describe('runSampleBatch', () => {
  it('runs every sample concurrently and returns their results in order', async () => {
    const started: number[] = [];
    // Later samples finish first: the order of results is the order of samples, not of answers.
    const results = await runSampleBatch(4, options, async (index) => {
      started.push(index);
      await new Promise((resolve) => setTimeout(resolve, (4 - index) * 5));
      return index * 10;
    });
    expect(results).toEqual([0, 10, 20, 30]);
    expect(started).toEqual([0, 1, 2, 3]);
  });

  it('lets one sample stop the others: their signal aborts and the batch throws its reason', async () => {
    const stopReason = new Error('the guide is gone');
    const seenAborted: boolean[] = [];
    const batch = runSampleBatch(3, options, async (index, context) => {
      if (index === 0) {
        // After the others have started and wait on the batch's signal.
        await new Promise((resolve) => setTimeout(resolve, 5));
        context.stop(stopReason);
        return 'stopper';
      }
      await new Promise<void>((resolve) => context.signal.addEventListener('abort', () => resolve(), { once: true }));
      seenAborted.push(context.signal.aborted && context.stopped);
      return 'cut short';
    });
    await expect(batch).rejects.toBe(stopReason);
    expect(seenAborted).toEqual([true, true]);
  });

  it("throws the caller's abort reason before anything a sample did", async () => {
    const caller = new AbortController();
    const reason = new Error('Ctrl-C');
    const batch = runSampleBatch(2, { ...options, abortSignal: caller.signal }, async (index, context) => {
      if (index === 1) {
        caller.abort(reason);
        context.stop(new Error('a sample failed too'));
      }
      return index;
    });
    await expect(batch).rejects.toBe(reason);
  });

  it("rethrows a sample's own error when nothing stopped the batch", async () => {
    const bug = new TypeError('not a reply');
    await expect(runSampleBatch(2, options, async (index) => (index === 1 ? Promise.reject(bug) : index))).rejects.toBe(bug);
  });

  it('shares one deadline between the samples, and stops its timer at the end', async () => {
    const deadlines = new Set<unknown>();
    await runSampleBatch(20, options, async (_, context) => deadlines.add(context.deadline));
    expect(deadlines.size).toBe(1);
    const [deadline] = deadlines as Set<{ signal: AbortSignal; budgetMs: number }>;
    expect(deadline.budgetMs).toBe(10_000);
    expect(deadline.signal.aborted).toBe(false);
  });
});

describe('checkTextGuideRequest', () => {
  const request = (fields: Record<string, unknown>) => ({ inputs: [{ promptText: 'a' }], maxNewTokens: 4, seed: 0, ...fields }) as never;

  it('accepts prompt text with or without a prefix', () => {
    expect(() => checkTextGuideRequest(request({ inputs: [{ promptText: 'a' }, { promptText: 'b', prefixText: ' c' }] }))).not.toThrow();
  });

  it('names the field that is wrong', () => {
    expect(() => checkTextGuideRequest(request({ maxNewTokens: 0 }))).toThrow(expect.objectContaining({ name: 'RLGF_InvalidArgumentError', message: expect.stringContaining('maxNewTokens') }));
    expect(() => checkTextGuideRequest(request({ inputs: [{ promptText: 'a' }, { promptIds: [1] }] }))).toThrow(expect.objectContaining({ message: expect.stringContaining('inputs[1].promptText') }));
    expect(() => checkTextGuideRequest(request({ inputs: [{ promptText: 'a', prefixText: 3 }] }))).toThrow(expect.objectContaining({ message: expect.stringContaining('inputs[0].prefixText') }));
  });
});
