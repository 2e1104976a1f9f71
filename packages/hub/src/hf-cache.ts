import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readFile, readlink, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { contentMismatch, digestOfEtag, hashFile } from './content-check';
import { cacheRepoDir, type RepoAtRevision } from './repo-paths';
import { walkFiles } from './walk-files';

// The cache layout of Python's huggingface_hub, so both can share one folder:
//   <cache>/<models|datasets>--<owner>--<name>/
//     blobs/<etag>                     file contents, named after the Hub's etag
//     snapshots/<commit>/<path>        relative symlink to the blob (a copy where links fail)
//     refs/<revision>                  the commit a branch or tag pointed to when last downloaded

const exists = async (path: string) => (await stat(path).catch(() => undefined)) !== undefined;
const uniqueSuffix = () => `${process.pid}-${randomBytes(6).toString('hex')}`;

/** Where a downloaded file's contents live. */
export function blobPath(cacheDir: string, at: RepoAtRevision, etag: string): string {
  return join(cacheRepoDir(cacheDir, at.repoType, at.repo), 'blobs', etag);
}

/** A fresh temporary file next to the blobs, for a download in progress. */
export async function blobTempPath(cacheDir: string, at: RepoAtRevision): Promise<string> {
  const dir = join(cacheRepoDir(cacheDir, at.repoType, at.repo), 'blobs');
  await mkdir(dir, { recursive: true });
  return join(dir, `download-${uniqueSuffix()}.incomplete`);
}

/** The commit a revision was last seen at (`refs/<revision>`); a commit hash stands for itself. */
async function commitOf(cacheDir: string, at: RepoAtRevision): Promise<string> {
  const ref = join(cacheRepoDir(cacheDir, at.repoType, at.repo), 'refs', ...at.revision.split('/'));
  const recorded = await readFile(ref, 'utf8').catch(() => undefined);
  return recorded?.trim() || at.revision;
}

function snapshotDir(cacheDir: string, at: RepoAtRevision, commit: string): string {
  return join(cacheRepoDir(cacheDir, at.repoType, at.repo), 'snapshots', commit);
}

/** The cached file for this revision, as huggingface_hub's `try_to_load_from_cache` finds it. */
export async function findCachedFile(cacheDir: string, at: RepoAtRevision, path: string): Promise<string | undefined> {
  const file = join(snapshotDir(cacheDir, at, await commitOf(cacheDir, at)), ...path.split('/'));
  return (await stat(file).catch(() => undefined))?.isFile() ? file : undefined;
}

/** A blob whose bytes are not what its name (the Hub's etag) says, found and removed. */
export interface PoisonedBlob {
  readonly blob: string;
  /** What is wrong, as one phrase (`sha256 … (n bytes), expected …`). */
  readonly mismatch: string;
}

/**
 * Checks blobs against the etag they are named after (sha256 or git blob id; other names say
 * nothing checkable) and removes one that does not match, so that it is downloaded again instead
 * of linked again. Earlier versions cached downloads cut short under the full file's etag.
 * A blob that passed is not hashed again in this process unless its size or mtime changes.
 */
export function createBlobChecker() {
  const passed = new Set<string>();
  return {
    /** Undefined when `blob` is absent, fine or uncheckable; else what was wrong (the blob is gone). */
    async check(blob: string): Promise<PoisonedBlob | undefined> {
      const etag = basename(blob);
      const info = await stat(blob).catch(() => undefined);
      if (!info?.isFile() || digestOfEtag(etag) === undefined) return undefined;
      const key = `${blob}\0${info.size}\0${info.mtimeMs}`;
      if (passed.has(key)) return undefined;
      const mismatch = contentMismatch({ etag }, await hashFile(blob, etag));
      if (mismatch === undefined) {
        passed.add(key);
        return undefined;
      }
      await rm(blob, { force: true });
      return { blob, mismatch };
    },
  };
}

export type BlobChecker = ReturnType<typeof createBlobChecker>;

/**
 * The blob a snapshot file links to, checked: a poisoned one is removed together with the link.
 * A snapshot that is a copy (no symlinks on this file system) does not name its blob and is
 * taken as it is.
 */
export async function checkSnapshotFile(file: string, checker: BlobChecker): Promise<PoisonedBlob | undefined> {
  const target = await readlink(file).catch(() => undefined);
  if (target === undefined) return undefined;
  const poisoned = await checker.check(resolve(dirname(file), target));
  if (poisoned) await rm(file, { force: true });
  return poisoned;
}

/** Files of the cached snapshot of this revision under `prefix`: only those downloaded so far. */
export async function listCachedFiles(cacheDir: string, at: RepoAtRevision, prefix: string): Promise<string[] | undefined> {
  const dir = snapshotDir(cacheDir, at, await commitOf(cacheDir, at));
  return (await exists(dir)) ? walkFiles(dir, prefix) : undefined;
}

async function replaceAtomically(target: string, write: (temp: string) => Promise<void>): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const temp = `${target}.${uniqueSuffix()}.tmp`;
  try {
    await write(temp);
    await rename(temp, target);
  } finally {
    await rm(temp, { force: true });
  }
}

/**
 * Files a verified download: moves `tempFile` to `blobs/<etag>` (replacing whatever is there: the
 * new bytes were just checked, an older blob may not have been), points `snapshots/<commit>/<path>`
 * at it, and records `refs/<revision>` when the revision is not the commit itself. Every step
 * replaces atomically, so concurrent processes sharing the cache never see a half-written file.
 * Returns the snapshot path.
 */
export async function storeInCache(
  cacheDir: string,
  at: RepoAtRevision,
  file: { readonly path: string; readonly commit: string; readonly etag: string; readonly tempFile?: string },
): Promise<string> {
  const blob = blobPath(cacheDir, at, file.etag);
  if (file.tempFile !== undefined) await rename(file.tempFile, blob);
  const snapshot = join(snapshotDir(cacheDir, at, file.commit), ...file.path.split('/'));
  await replaceAtomically(snapshot, async (temp) => {
    try {
      await symlink(relative(dirname(snapshot), blob), temp);
    } catch {
      // File systems without symlinks (some Windows setups, some mounts) get a copy instead.
      await copyFile(blob, temp);
    }
  });
  if (at.revision !== file.commit) {
    const ref = join(cacheRepoDir(cacheDir, at.repoType, at.repo), 'refs', ...at.revision.split('/'));
    await replaceAtomically(ref, (temp) => writeFile(temp, file.commit));
  }
  return snapshot;
}
