import { HubError } from '@rlgf/contracts';
import { hubRefusalError, networkError, redact, type HubRefusal } from './hub-errors';
import { classifiedAs } from './hub-retries';

/** How to talk to the Hub. */
export interface HubHttp {
  readonly endpoint: string;
  readonly token?: string;
  readonly fetch: typeof fetch;
}

/** A file response with the Hub's metadata, taken from the Hub's own answers (not its CDN's). */
export interface OpenedDownload {
  readonly response: Response;
  /** `X-Repo-Commit`: the commit the revision resolved to. */
  readonly commit?: string;
  /** `X-Linked-Etag` (LFS files: their sha256) or `ETag` (git-stored files: their blob id), unquoted. */
  readonly etag?: string;
  /** Expected byte count: the Hub's `X-Linked-Size` (LFS files), else the final `Content-Length`. */
  readonly size?: number;
}

const maxRedirects = 10;

const sameOrigin = (url: string, endpoint: string) => new URL(url).origin === new URL(endpoint).origin;

function byteCount(header: string | null): number | undefined {
  return header !== null && /^\d+$/.test(header.trim()) ? Number(header) : undefined;
}

/** Strips the weak marker and quotes, as huggingface_hub does before naming a blob after it. */
export function normalizeEtag(etag: string | null): string | undefined {
  const value = etag?.replace(/^W\//, '').replace(/^"|"$/g, '');
  return value ? value : undefined;
}

async function refusalOf(response: Response, token: string | undefined): Promise<HubRefusal> {
  let serverMessage = response.headers.get('x-error-message') ?? undefined;
  try {
    const body = (await response.json()) as { error?: unknown };
    if (typeof body.error === 'string') serverMessage = body.error;
  } catch {
    // Not JSON: the status and error code say enough.
  }
  return {
    status: response.status,
    errorCode: response.headers.get('x-error-code') ?? undefined,
    serverMessage: serverMessage === undefined ? undefined : redact(serverMessage, token).slice(0, 300),
  };
}

/**
 * One GET. The token goes only to the endpoint's origin, so a redirect to a CDN or a foreign
 * pagination link never receives it. File downloads ask for the bytes as stored (`identity`, as
 * huggingface_hub does): a compressed transfer would make Content-Length count other bytes.
 */
async function get(http: HubHttp, url: string, what: string, signal: AbortSignal | undefined, redirect: 'manual' | 'follow'): Promise<Response> {
  const headers: Record<string, string> = redirect === 'manual' ? { 'Accept-Encoding': 'identity' } : {};
  if (http.token && sameOrigin(url, http.endpoint)) headers.Authorization = `Bearer ${http.token}`;
  try {
    return await http.fetch(url, { headers, redirect, signal });
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw classifiedAs(networkError(what, url, error), error);
  }
}

/** A non-2xx answer as a HubError, marked retryable or not from its status (5xx, 429) and Retry-After. */
function refused(http: HubHttp, refusal: HubRefusal, response: Response, what: string, url: string): HubError {
  const error = hubRefusalError(refusal, what, url, Boolean(http.token));
  const said = new Error(refusal.serverMessage ?? refusal.errorCode ?? response.statusText);
  return classifiedAs(error, said, { status: response.status, headers: response.headers });
}

/** A GET that must succeed (tree API); a refused answer becomes a HubError unless `accept` takes it. */
export async function hubGetJson(
  http: HubHttp,
  url: string,
  what: string,
  signal: AbortSignal | undefined,
  accept?: (refusal: HubRefusal) => boolean,
): Promise<{ body: unknown; response: Response } | undefined> {
  const response = await get(http, url, what, signal, 'follow');
  if (!response.ok) {
    const refusal = await refusalOf(response, http.token);
    if (accept?.(refusal)) return undefined;
    throw refused(http, refusal, response, what, url);
  }
  return { body: await response.json(), response };
}

/**
 * Starts downloading a resolve URL, following redirects by hand: the Hub answers LFS files with
 * a 302 to its CDN, and the commit and the file's etag are on that redirect, not on the CDN's
 * answer. As in huggingface_hub, relative redirects (a renamed repository) stay on the Hub and
 * keep supplying metadata; the first absolute one leaves it.
 */
export async function openDownload(http: HubHttp, url: string, what: string, signal: AbortSignal | undefined): Promise<OpenedDownload> {
  let current = url;
  let commit: string | undefined;
  let etag: string | undefined;
  let linkedSize: number | undefined;
  let onHub = true;
  for (let hop = 0; hop <= maxRedirects; hop += 1) {
    const response = await get(http, current, what, signal, 'manual');
    if (onHub) {
      commit = response.headers.get('x-repo-commit') ?? commit;
      etag = normalizeEtag(response.headers.get('x-linked-etag')) ?? normalizeEtag(response.headers.get('etag')) ?? etag;
      linkedSize = byteCount(response.headers.get('x-linked-size')) ?? linkedSize;
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      onHub &&= !/^([a-z][a-z0-9+.-]*:)?\/\//i.test(location);
      current = new URL(location, current).href;
      continue;
    }
    if (!response.ok) throw refused(http, await refusalOf(response, http.token), response, what, url);
    return { response, commit, etag, size: linkedSize ?? byteCount(response.headers.get('content-length')) };
  }
  throw new HubError({ message: `more than ${maxRedirects} redirects for ${what} from ${url}`, hint: 'check HF_ENDPOINT' });
}

/** The `rel="next"` target of a `Link` header (the Hub's pagination), if any. */
export function nextLink(header: string | null): string | undefined {
  for (const part of (header ?? '').split(',')) {
    const match = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (match && /(^|;)\s*rel\s*=\s*"?next"?\s*(;|$)/.test(match[2])) return match[1];
  }
  return undefined;
}
