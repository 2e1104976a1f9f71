import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Whether an `Authorization` header carries `Bearer <token>`. Compared in constant time over
 * digests, so neither the token's content nor its length leaks through response times.
 */
export function hasBearerToken(header: string | undefined, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return timingSafeEqual(digest(match ? match[1].trim() : ''), digest(token)) && match !== null;
}
