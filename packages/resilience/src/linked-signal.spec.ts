import { linkSignals } from './linked-signal';

describe('linkSignals', () => {
  it('aborts with the source reason when a source aborts', () => {
    const source = new AbortController();
    const link = linkSignals([undefined, source.signal], 60_000);
    source.abort(new Error('stop'));
    expect(link.signal.aborted).toBe(true);
    expect((link.signal.reason as Error).message).toBe('stop');
    expect(link.timedOut()).toBe(false);
    link.dispose();
  });

  it('starts aborted when a source already is', () => {
    const source = new AbortController();
    source.abort('early');
    const link = linkSignals([source.signal], 10);
    expect(link.signal.reason).toBe('early');
    link.dispose();
  });

  it('times out with a TimeoutError and says so', async () => {
    const link = linkSignals([], 5);
    await new Promise((resolve) => link.signal.addEventListener('abort', resolve));
    expect(link.timedOut()).toBe(true);
    expect((link.signal.reason as Error).name).toBe('TimeoutError');
    link.dispose();
  });

  it('detaches from its sources on dispose', () => {
    const source = new AbortController();
    const link = linkSignals([source.signal], 60_000);
    link.dispose();
    source.abort('late');
    expect(link.signal.aborted).toBe(false);
  });
});
