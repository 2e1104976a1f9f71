import type { HubFileRefV1, HubFilesV1 } from '@rlgf/contracts';
import { silentLogger } from '@rlgf/core';
import { downloadToCache, type DownloadContext } from './download-to-cache';
import { checkSnapshotFile, createBlobChecker, findCachedFile, listCachedFiles } from './hf-cache';
import { notCachedError } from './hub-errors';
import { defaultEndpoint, type HubSettings } from './hub-settings';
import { listRemoteFiles } from './list-remote-files';
import { listMirrorFiles, mirrorFile } from './mirror-files';
import { checkRepoId, checkRepoPath, defaultRevision, describeFile, type RepoAtRevision } from './repo-paths';

type RepoRef = Omit<HubFileRefV1, 'path'> & { readonly prefix?: string };

function repoAtRevision(ref: Omit<HubFileRefV1, 'path'>): RepoAtRevision {
  checkRepoId(ref.repo);
  const revision = ref.revision ?? defaultRevision;
  checkRepoPath(revision, 'revision');
  return { repoType: ref.repoType, repo: ref.repo, revision };
}

class HubFiles implements HubFilesV1 {
  private readonly inFlight = new Map<string, Promise<string>>();
  private readonly download: DownloadContext;

  constructor(private readonly settings: HubSettings) {
    this.download = {
      http: {
        endpoint: (settings.endpoint ?? defaultEndpoint).replace(/\/+$/, ''),
        token: settings.token,
        fetch: settings.fetch ?? globalThis.fetch,
      },
      cacheDir: settings.cacheDir,
      logger: settings.logger ?? silentLogger,
      progressMinBytes: settings.progressMinBytes ?? 10_000_000,
      retry: settings.retry ?? {},
      blobs: createBlobChecker(),
    };
  }

  /**
   * The cached file, if its blob still matches its etag. A poisoned one (cut short by an earlier
   * download, altered on disk) is removed with a warning, so the caller downloads it again.
   */
  private async cachedFile(at: RepoAtRevision, path: string): Promise<string | undefined> {
    const cached = await findCachedFile(this.settings.cacheDir, at, path);
    if (cached === undefined) return undefined;
    const poisoned = await checkSnapshotFile(cached, this.download.blobs);
    if (poisoned === undefined) return cached;
    const next = this.settings.offline ? 'offline mode is on, so it cannot be downloaded again' : 'downloading it again';
    this.download.logger.warn(`removed ${poisoned.blob} from the Hub cache: its content does not match its name (${poisoned.mismatch}); ${next}`);
    return undefined;
  }

  async resolveFile(file: HubFileRefV1, options?: { readonly abortSignal?: AbortSignal }): Promise<string> {
    const at = repoAtRevision(file);
    checkRepoPath(file.path, 'path');
    if (this.settings.mirrorDir !== undefined) return mirrorFile(this.settings.mirrorDir, at, file.path);
    const cached = await this.cachedFile(at, file.path);
    if (cached !== undefined) return cached;
    if (this.settings.offline) throw notCachedError(describeFile(at, file.path), this.settings.cacheDir);
    // One download per file at a time in this process; later callers share it.
    const key = JSON.stringify([at.repoType, at.repo, at.revision, file.path]);
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = downloadToCache(this.download, at, file.path, options?.abortSignal).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  async listFiles(repo: RepoRef, options?: { readonly abortSignal?: AbortSignal }): Promise<string[]> {
    const at = repoAtRevision(repo);
    const prefix = (repo.prefix ?? '').replace(/\/+$/, '');
    if (prefix !== '') checkRepoPath(prefix, 'prefix');
    if (this.settings.mirrorDir !== undefined) return listMirrorFiles(this.settings.mirrorDir, at, prefix);
    if (!this.settings.offline) return listRemoteFiles(this.download, at, prefix, options?.abortSignal);
    const cached = await listCachedFiles(this.settings.cacheDir, at, prefix);
    if (cached === undefined) throw notCachedError(`the file list of ${at.repoType} ${at.repo} at revision ${at.revision}`, this.settings.cacheDir);
    return cached;
  }
}

/**
 * Hub files from, in order: the mirror folder when one is set (authoritative: nothing else is
 * tried), the local cache (shared with Python's huggingface_hub), or a download into that cache
 * (unless offline).
 *
 * A cached file is used without asking the Hub whether its branch moved: to pick up a new commit
 * of `main`, pass the commit as `revision` or delete `refs/main` in the cache. Offline, `listFiles`
 * lists the cached snapshot, which holds only the files downloaded so far.
 */
export function createHubFiles(settings: HubSettings): HubFilesV1 {
  return new HubFiles(settings);
}
