import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/**
 * What the Hub's etag promises about a file's bytes. The Hub names an LFS file by the sha256 of its
 * content (`X-Linked-Etag`) and a git-stored file by its git blob id, sha1 of `blob <size>\0` +
 * content (`ETag`). Any other etag (a proxy's, a CDN's) promises nothing we can check.
 */
export type EtagDigest = { readonly algorithm: 'sha256' | 'git-blob-sha1'; readonly hex: string };

export function digestOfEtag(etag: string | undefined): EtagDigest | undefined {
  if (etag === undefined) return undefined;
  if (/^[0-9a-f]{64}$/.test(etag)) return { algorithm: 'sha256', hex: etag };
  if (/^[0-9a-f]{40}$/.test(etag)) return { algorithm: 'git-blob-sha1', hex: etag };
  return undefined;
}

/** What a file on disk actually holds. */
export interface ContentFacts {
  readonly bytes: number;
  readonly sha256: string;
  /** Only computed when the etag is a git blob id (a second read: git-stored files are small). */
  readonly gitBlobSha1?: string;
}

/** The git blob id of a file of `bytes` bytes: sha1 of `blob <bytes>\0` + content. */
export async function gitBlobIdOf(path: string, bytes: number): Promise<string> {
  const sha1 = createHash('sha1').update(`blob ${bytes}\0`);
  for await (const chunk of createReadStream(path)) sha1.update(chunk as Buffer);
  return sha1.digest('hex');
}

/**
 * Byte count and sha256 of a file, plus its git blob id when the etag is one (a second read: the
 * git header carries the length, and git-stored files are small).
 */
export async function hashFile(path: string, etag: string | undefined): Promise<ContentFacts> {
  const sha256 = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    sha256.update(chunk as Buffer);
    bytes += (chunk as Buffer).byteLength;
  }
  const facts = { bytes, sha256: sha256.digest('hex') };
  return digestOfEtag(etag)?.algorithm === 'git-blob-sha1' ? { ...facts, gitBlobSha1: await gitBlobIdOf(path, bytes) } : facts;
}

/** What the Hub announced for one download. */
export interface Announced {
  readonly etag?: string;
  /** `X-Linked-Size` from the Hub, else the final response's `Content-Length`. */
  readonly size?: number;
}

/**
 * Why `facts` do not match what was announced, as one phrase; undefined when they match. The
 * digest decides when the etag carries one; otherwise only the announced size can be checked.
 */
export function contentMismatch(announced: Announced, facts: ContentFacts): string | undefined {
  if (announced.size !== undefined && facts.bytes !== announced.size) return `${facts.bytes} bytes, expected ${announced.size}`;
  const digest = digestOfEtag(announced.etag);
  if (digest?.algorithm === 'sha256' && facts.sha256 !== digest.hex) {
    return `sha256 ${facts.sha256} (${facts.bytes} bytes), expected ${digest.hex}`;
  }
  if (digest?.algorithm === 'git-blob-sha1' && facts.gitBlobSha1 !== digest.hex) {
    return `git blob id ${facts.gitBlobSha1} (${facts.bytes} bytes), expected ${digest.hex}`;
  }
  return undefined;
}
