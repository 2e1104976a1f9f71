import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

/** The identifiers the Hub gives a file: its git blob id and the sha256 that names it in LFS. */
export interface FileDigests {
  readonly size: number;
  /** sha1 of `blob <size>\0<content>`, what the Hub sends as ETag for files stored in git. */
  readonly gitBlobId: string;
  readonly sha256: string;
}

async function hashFile(path: string, size: number): Promise<FileDigests> {
  const blob = createHash('sha1').update(`blob ${size}\0`);
  const content = createHash('sha256');
  for await (const chunk of createReadStream(path)) {
    blob.update(chunk as Buffer);
    content.update(chunk as Buffer);
  }
  return { size, gitBlobId: blob.digest('hex'), sha256: content.digest('hex') };
}

/** Computes file digests once per file version (path, size, mtime) and remembers them. */
export function createDigestCache() {
  const known = new Map<string, Promise<FileDigests>>();
  const byContent = new Map<string, string>();
  return {
    async digestsOf(path: string): Promise<FileDigests> {
      const info = await stat(path);
      const key = `${path}\0${info.size}\0${info.mtimeMs}`;
      let digests = known.get(key);
      if (!digests) {
        digests = hashFile(path, info.size);
        known.set(key, digests);
      }
      const result = await digests;
      byContent.set(result.sha256, path);
      return result;
    },
    /** The file last seen with this sha256, for the server's stand-in of the Hub's LFS CDN. */
    pathOfContent(sha256: string): string | undefined {
      return byContent.get(sha256);
    },
  };
}
