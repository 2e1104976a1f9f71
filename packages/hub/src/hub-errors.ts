import { HubError } from '@rlgf/contracts';

const workOffline = 'to work without the network, set HF_HUB_OFFLINE=1 (cached files only) or RLGF_HUB_MIRROR=<folder laid out like the Hub>';

/** Replaces every occurrence of the token, so that no message or log line can carry it. */
export function redact(text: string, token: string | undefined): string {
  return token ? text.split(token).join('***') : text;
}

/** Why the Hub refused a request, from its status, `X-Error-Code` header and JSON `error` body. */
export interface HubRefusal {
  readonly status: number;
  readonly errorCode?: string;
  readonly serverMessage?: string;
}

/** What a non-2xx Hub answer means, as an error naming the file (or listing) and the fix. */
export function hubRefusalError(refusal: HubRefusal, what: string, url: string, tokenSent: boolean): HubError {
  const said = refusal.serverMessage ? `: ${refusal.serverMessage}` : '';
  const code = refusal.errorCode ? ` ${refusal.errorCode}` : '';
  const answer = `(HTTP ${refusal.status}${code}${said}) from ${url}`;
  if (refusal.status === 401 || refusal.status === 403) {
    return new HubError({
      message: `access denied to ${what} ${answer}`,
      hint: tokenSent
        ? 'the token in HF_TOKEN was refused or lacks access: check it at huggingface.co/settings/tokens; for a gated repository, accept its conditions on its Hub page first'
        : 'set HF_TOKEN (or run `huggingface-cli login`) with a token that can read this repository; for a gated repository, accept its conditions on its Hub page first',
    });
  }
  if (refusal.status === 404) {
    const missing =
      refusal.errorCode === 'RepoNotFound' ? 'repository not found' : refusal.errorCode === 'RevisionNotFound' ? 'revision not found' : 'not found';
    return new HubError({
      message: `${missing} on the Hub: ${what} ${answer}`,
      hint:
        refusal.errorCode === 'RevisionNotFound'
          ? 'check the revision (a branch, tag or commit of the repository)'
          : `check the repository id, its type (dataset or model) and the path${tokenSent ? '' : '; a private repository also answers 404 without a token: set HF_TOKEN'}`,
    });
  }
  return new HubError({
    message: `the Hub failed to serve ${what} ${answer}`,
    hint: `retry later, or check HF_ENDPOINT; ${workOffline}`,
  });
}

const reasonOf = (cause: unknown) => (cause instanceof Error ? ((cause.cause as Error | undefined)?.message ?? cause.message) : String(cause));

/** The Hub could not be reached at all (DNS, refused connection, TLS, reset). */
export function networkError(what: string, url: string, cause: unknown): HubError {
  return new HubError({
    message: `cannot reach the Hub for ${what} at ${url}: ${reasonOf(cause)}`,
    hint: `check the network and HF_ENDPOINT; ${workOffline}`,
    cause,
  });
}

/** The connection broke while the file was arriving; nothing was kept. */
export function interruptedError(what: string, url: string, cause: unknown): HubError {
  return new HubError({
    message: `the download of ${what} from ${url} was interrupted: ${reasonOf(cause)}`,
    hint: `retry (the partial file was discarded); ${workOffline}`,
    cause,
  });
}

/** Offline mode is on and the file was never downloaded. */
export function notCachedError(what: string, cacheDir: string): HubError {
  return new HubError({
    message: `${what} is not in the cache ${cacheDir}, and offline mode is on (HF_HUB_OFFLINE)`,
    hint: 'unset HF_HUB_OFFLINE to download it once, or set RLGF_HUB_MIRROR to a folder that holds it',
  });
}
