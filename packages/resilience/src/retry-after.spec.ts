import { parseRetryAfter } from './retry-after';

describe('parseRetryAfter', () => {
  const now = Date.UTC(2024, 0, 1, 12, 0, 0);

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('120', now)).toBe(120_000);
  });

  it('reads an HTTP-date relative to now, and a past date as no wait', () => {
    expect(parseRetryAfter('Mon, 01 Jan 2024 12:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Mon, 01 Jan 2024 11:59:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    for (const value of [undefined, null, '', '-5', '1.5', 'soon', 'Sun, 99 Foo 2024 99:00:00 GMT']) expect(parseRetryAfter(value, now)).toBeUndefined();
  });
});
