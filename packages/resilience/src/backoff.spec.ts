import { fullJitterDelay, retryDelay } from './backoff';

const policy = { baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 };
const always = (value: number) => () => value;

describe('backoff', () => {
  it('draws uniformly below min(max, base·2^retry)', () => {
    // Ceilings 100, 200, 400, 800, 1000, 1000 for retries 0..5.
    expect([0, 1, 2, 3, 4, 5].map((retry) => fullJitterDelay(retry, policy, always(0.5)))).toEqual([50, 100, 200, 400, 500, 500]);
    expect(fullJitterDelay(3, policy, always(0))).toBe(0);
    expect(fullJitterDelay(3, policy, always(0.999999))).toBe(799);
  });

  it('honours Retry-After exactly, up to the cap, instead of jitter', () => {
    expect(retryDelay(0, 2000, policy, always(0.5))).toBe(2000);
    expect(retryDelay(0, 0, policy, always(0.5))).toBe(0);
    expect(retryDelay(0, 60_000, policy, always(0.5))).toBe(5000);
    expect(retryDelay(1, undefined, policy, always(0.25))).toBe(50);
  });
});
