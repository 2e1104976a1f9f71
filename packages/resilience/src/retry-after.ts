/**
 * The wait a `Retry-After` header asks for, in milliseconds (RFC 9110 §10.2.3): either
 * delay-seconds (a non-negative integer) or an HTTP-date, compared with `nowMs`. A date in the
 * past means "now" (0). Anything else is ignored (`undefined`), so the caller falls back to its own
 * backoff instead of trusting a value it cannot read.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // Only dates that name a weekday or month, so that "-5" or "1.5" are not read as years.
  if (!/[a-z]{3}/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}
