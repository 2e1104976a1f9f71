import { HubError, type LoggerV1 } from '@rlgf/contracts';
import type { AttemptContext } from '@rlgf/resilience';
import { rm, stat } from 'node:fs/promises';
import { contentMismatch, digestOfEtag, gitBlobIdOf } from './content-check';
import { blobPath, blobTempPath, storeInCache, type BlobChecker } from './hf-cache';
import { interruptedError } from './hub-errors';
import { openDownload, type HubHttp } from './hub-http';
import { classifiedAs, withFailure, withHubRetries, type HubRetrySettings } from './hub-retries';
import { describeFile, resolveUrl, type RepoAtRevision } from './repo-paths';
import { writeBody } from './write-body';

export interface DownloadContext {
  readonly http: HubHttp;
  readonly cacheDir: string;
  readonly logger: LoggerV1;
  readonly progressMinBytes: number;
  readonly retry: HubRetrySettings;
  readonly blobs: BlobChecker;
}

interface Target {
  readonly at: RepoAtRevision;
  readonly path: string;
  readonly url: string;
  readonly what: string;
}

/**
 * Downloads one file into the cache and returns its snapshot path. The blob is named after the
 * Hub's etag; the snapshot folder after `X-Repo-Commit`. Servers that omit them (plain mirrors,
 * proxies) still work: a missing etag becomes the sha256 of the content, a missing commit becomes
 * the revision name itself (no ref is written then, and huggingface_hub's cache lookup finds
 * `snapshots/<revision>` the same way).
 *
 * Nothing reaches the cache unchecked: the bytes are verified against the etag (sha256 or git blob
 * id) and the announced size before the temporary file is renamed into place, and transient
 * failures (5xx, 429, dropped connections, bytes that do not match) are retried with backoff.
 */
export async function downloadToCache(context: DownloadContext, at: RepoAtRevision, path: string, signal?: AbortSignal): Promise<string> {
  const target: Target = { at, path, url: resolveUrl(context.http.endpoint, at, path), what: describeFile(at, path) };
  return withHubRetries({ retry: context.retry, logger: context.logger, fetch: context.http.fetch }, target.what, signal, (attempt) =>
    downloadOnce(context, target, attempt),
  );
}

async function downloadOnce(context: DownloadContext, target: Target, attempt: AttemptContext): Promise<string> {
  const { at, path, url, what } = target;
  const opened = await openDownload({ ...context.http, fetch: attempt.fetch }, url, what, attempt.signal);
  const commit = opened.commit ?? at.revision;
  const body = opened.response.body;
  if (opened.etag !== undefined && (await reusableBlob(context, at, opened.etag))) {
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
    const gitBlobSha1 = digestOfEtag(opened.etag)?.algorithm === 'git-blob-sha1' ? await gitBlobIdOf(tempFile, written.bytes) : undefined;
    const mismatch = contentMismatch(opened, { ...written, gitBlobSha1 });
    if (mismatch !== undefined) {
      // A body cut short or altered on the way: worth another try, never worth caching.
      const error = new HubError({
        message: `the download of ${what} from ${url} does not match what the Hub announced: ${mismatch}`,
        hint: 'nothing was cached; retry later, or check HF_ENDPOINT and any proxy in between',
      });
      throw withFailure(error, { kind: 'network', retryable: true, message: `download does not match the Hub's etag or size: ${mismatch}` });
    }
    return await storeInCache(context.cacheDir, at, { path, commit, etag: opened.etag ?? written.sha256, tempFile });
  } catch (error) {
    if (attempt.signal.aborted) throw attempt.signal.reason;
    if (HubError.isInstance(error)) throw error;
    if (error instanceof Error && 'syscall' in error) {
      throw withFailure(
        new HubError({
          message: `cannot write ${what} into the cache ${context.cacheDir}: ${error.message}`,
          hint: 'check that HF_HUB_CACHE (or HF_HOME) is writable and the disk has room',
          cause: error,
        }),
        { kind: 'unexpected', retryable: false, message: error.message },
      );
    }
    throw classifiedAs(interruptedError(what, url, error), error);
  } finally {
    await rm(tempFile, { force: true });
  }
}

/** Whether `blobs/<etag>` holds the right bytes already; a poisoned one is removed (and logged) instead. */
async function reusableBlob(context: DownloadContext, at: RepoAtRevision, etag: string): Promise<boolean> {
  const blob = blobPath(context.cacheDir, at, etag);
  const poisoned = await context.blobs.check(blob);
  if (poisoned) context.logger.warn(`removed ${poisoned.blob} from the Hub cache: its content does not match its name (${poisoned.mismatch}); downloading it again`);
  return !poisoned && (await stat(blob).catch(() => undefined)) !== undefined;
}
