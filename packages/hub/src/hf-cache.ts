import { randomBytes } from 'node:crypto';
import { copyFile, mkdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
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
 * Files a completed download: moves `tempFile` to `blobs/<etag>` (unless another download put it
 * there first), points `snapshots/<commit>/<path>` at it, and records `refs/<revision>` when the
 * revision is not the commit itself. Every step replaces atomically, so concurrent processes
 * sharing the cache never see a half-written file. Returns the snapshot path.
 */
export async function storeInCache(
  cacheDir: string,
  at: RepoAtRevision,
  file: { readonly path: string; readonly commit: string; readonly etag: string; readonly tempFile?: string },
): Promise<string> {
  const blob = blobPath(cacheDir, at, file.etag);
  if (file.tempFile !== undefined) {
    if (await exists(blob)) await rm(file.tempFile, { force: true });
    else await rename(file.tempFile, blob);
  }
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
