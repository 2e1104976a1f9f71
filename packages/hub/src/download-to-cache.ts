import { HubError, type LoggerV1 } from '@rlgf/contracts';
import { rm, stat } from 'node:fs/promises';
import { blobPath, blobTempPath, storeInCache } from './hf-cache';
import { interruptedError } from './hub-errors';
import { openDownload, type HubHttp } from './hub-http';
import { describeFile, resolveUrl, type RepoAtRevision } from './repo-paths';
import { writeBody } from './write-body';

export interface DownloadContext {
  readonly http: HubHttp;
  readonly cacheDir: string;
  readonly logger: LoggerV1;
  readonly progressMinBytes: number;
}

/**
 * Downloads one file into the cache and returns its snapshot path. The blob is named after the
 * Hub's etag; the snapshot folder after `X-Repo-Commit`. Servers that omit them (plain mirrors,
 * proxies) still work: a missing etag becomes the sha256 of the content, a missing commit becomes
 * the revision name itself (no ref is written then, and huggingface_hub's cache lookup finds
 * `snapshots/<revision>` the same way).
 */
export async function downloadToCache(context: DownloadContext, at: RepoAtRevision, path: string, signal?: AbortSignal): Promise<string> {
  const what = describeFile(at, path);
  const url = resolveUrl(context.http.endpoint, at, path);
  const opened = await openDownload(context.http, url, what, signal);
  const commit = opened.commit ?? at.revision;
  const body = opened.response.body;
  if (opened.etag !== undefined && (await stat(blobPath(context.cacheDir, at, opened.etag)).catch(() => undefined))) {
    // Same content already cached under another revision or path: link it, skip the transfer.
    await body?.cancel();
    return storeInCache(context.cacheDir, at, { path, commit, etag: opened.etag });
  }
  const tempFile = await blobTempPath(context.cacheDir, at);
  try {
    const written = await writeBody(body ?? new Blob([]).stream(), tempFile, {
      size: opened.size,
      label: what,
      logger: context.logger,
      progressMinBytes: context.progressMinBytes,
    });
    if (opened.size !== undefined && written.bytes !== opened.size) {
      throw new HubError({
        message: `download of ${what} from ${url} stopped after ${written.bytes} of ${opened.size} bytes`,
        hint: 'retry; the partial file was discarded',
      });
    }
    return await storeInCache(context.cacheDir, at, { path, commit, etag: opened.etag ?? written.sha256, tempFile });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (HubError.isInstance(error)) throw error;
    if (error instanceof Error && 'syscall' in error) {
      throw new HubError({
        message: `cannot write ${what} into the cache ${context.cacheDir}: ${error.message}`,
        hint: 'check that HF_HUB_CACHE (or HF_HOME) is writable and the disk has room',
        cause: error,
      });
    }
    throw interruptedError(what, url, error);
  } finally {
    await rm(tempFile, { force: true });
  }
}
