import type { LoggerV1 } from '@rlgf/contracts';
import { existsSync, readFileSync } from 'node:fs';
import type { HubRetrySettings } from './hub-retries';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface HubSettings {
  /**
   * A folder laid out like the Hub: `datasets/<owner>/<name>/<path>` and `models/<owner>/<name>/<path>`.
   * When set it is authoritative: files are read from it only (no cache, no download).
   */
  readonly mirrorDir?: string;
  /** Hub base URL. Default `https://huggingface.co`. */
  readonly endpoint?: string;
  /** Access token, sent as `Authorization: Bearer <token>`; never logged. */
  readonly token?: string;
  /** The hub cache folder, laid out as Python's huggingface_hub does (`$HF_HUB_CACHE`). */
  readonly cacheDir: string;
  /** Never download: files must be in the mirror or the cache. */
  readonly offline: boolean;
  /** HTTP client. Default: the global fetch. */
  readonly fetch?: typeof fetch;
  /** Progress of large downloads and diagnostics. Default: silent. */
  readonly logger?: LoggerV1;
  /** Downloads at least this large log their progress at info level. Default 10 MB. */
  readonly progressMinBytes?: number;
  /** How transient failures (5xx, 429, dropped connections, bytes that do not match) are retried. */
  readonly retry?: HubRetrySettings;
}

export const defaultEndpoint = 'https://huggingface.co';

const isTrue = (value: string | undefined) => ['1', 'true', 'yes', 'on'].includes((value ?? '').trim().toLowerCase());
const nonEmpty = (value: string | undefined) => (value !== undefined && value.trim() !== '' ? value.trim() : undefined);

function expandHome(path: string, home: string): string {
  return path === '~' || path.startsWith('~/') ? join(home, path.slice(1)) : path;
}

function readTokenFile(path: string): string | undefined {
  return existsSync(path) ? nonEmpty(readFileSync(path, 'utf8')) : undefined;
}

/**
 * Hub settings from the environment, with the variables and defaults of Python's huggingface_hub:
 * `HF_ENDPOINT`; `HF_TOKEN`, else the legacy `HUGGING_FACE_HUB_TOKEN`, else the token file
 * (`$HF_TOKEN_PATH`, default `$HF_HOME/token`, as written by `huggingface-cli login`); `HF_HOME`
 * (default `$XDG_CACHE_HOME/huggingface`, i.e. `~/.cache/huggingface`); `HF_HUB_CACHE` (default
 * `$HF_HOME/hub`, legacy `HUGGINGFACE_HUB_CACHE`); `HF_HUB_OFFLINE` (1/true/yes/on). Plus
 * `RLGF_HUB_MIRROR`, a mirror folder resolved against the working directory.
 */
export function hubSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): HubSettings {
  const home = nonEmpty(env.HOME) ?? homedir();
  const cacheHome = expandHome(nonEmpty(env.XDG_CACHE_HOME) ?? join(home, '.cache'), home);
  const hfHome = expandHome(nonEmpty(env.HF_HOME) ?? join(cacheHome, 'huggingface'), home);
  const cacheDir = expandHome(nonEmpty(env.HF_HUB_CACHE) ?? nonEmpty(env.HUGGINGFACE_HUB_CACHE) ?? join(hfHome, 'hub'), home);
  const tokenPath = expandHome(nonEmpty(env.HF_TOKEN_PATH) ?? join(hfHome, 'token'), home);
  const mirror = nonEmpty(env.RLGF_HUB_MIRROR);
  return {
    mirrorDir: mirror === undefined ? undefined : resolve(expandHome(mirror, home)),
    endpoint: nonEmpty(env.HF_ENDPOINT)?.replace(/\/+$/, '') ?? defaultEndpoint,
    token: nonEmpty(env.HF_TOKEN) ?? nonEmpty(env.HUGGING_FACE_HUB_TOKEN) ?? readTokenFile(tokenPath),
    cacheDir,
    offline: isTrue(env.HF_HUB_OFFLINE),
  };
}
