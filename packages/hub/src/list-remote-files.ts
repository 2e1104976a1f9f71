import { HubError } from '@rlgf/contracts';
import type { LoggerV1 } from '@rlgf/contracts';
import { hubGetJson, nextLink, type HubHttp } from './hub-http';
import { withHubRetries, type HubRetrySettings } from './hub-retries';
import { treeUrl, type RepoAtRevision } from './repo-paths';

/**
 * Files under `prefix` from the Hub tree API, following its `Link: <...>; rel="next"` pages.
 * A prefix the repository does not have lists as empty, like a missing folder of a mirror.
 */
export async function listRemoteFiles(
  context: { readonly http: HubHttp; readonly retry: HubRetrySettings; readonly logger: LoggerV1 },
  at: RepoAtRevision,
  prefix: string,
  signal?: AbortSignal,
): Promise<string[]> {
  const { http } = context;
  const what = `the files of ${at.repoType} ${at.repo}${prefix ? ` under ${prefix}` : ''} at revision ${at.revision}`;
  const files: string[] = [];
  let url: string | undefined = treeUrl(http.endpoint, at, prefix);
  while (url !== undefined) {
    const pageUrl: string = url;
    // Each page is retried on its own: a 500 on page 7 does not restart the listing.
    const page = await withHubRetries({ ...context, fetch: http.fetch }, what, signal, (attempt) =>
      hubGetJson({ ...http, fetch: attempt.fetch }, pageUrl, what, attempt.signal, (refusal) => prefix !== '' && refusal.errorCode === 'EntryNotFound'),
    );
    if (!page) return [];
    if (!Array.isArray(page.body)) {
      throw new HubError({ message: `the tree API answered ${what} with something other than a JSON array (${url})`, hint: 'check HF_ENDPOINT' });
    }
    for (const entry of page.body as { type?: unknown; path?: unknown }[]) {
      if (entry?.type === 'file' && typeof entry.path === 'string') files.push(entry.path);
    }
    const next = nextLink(page.response.headers.get('link'));
    url = next === undefined ? undefined : new URL(next, url).href;
  }
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
