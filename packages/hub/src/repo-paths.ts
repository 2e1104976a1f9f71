import { InvalidArgumentError, type HubFileRefV1 } from '@rlgf/contracts';
import { join } from 'node:path';

export type RepoType = HubFileRefV1['repoType'];

/** A repository at a revision: what every lookup starts from. */
export interface RepoAtRevision {
  readonly repoType: RepoType;
  readonly repo: string;
  readonly revision: string;
}

export const defaultRevision = 'main';

const repoIdPattern = /^[A-Za-z0-9_][\w.-]*\/[A-Za-z0-9_][\w.-]*$/;
const isPlainComponent = (part: string) => part !== '' && part !== '.' && part !== '..' && !/[\\\0]/.test(part);

/** Checks `owner/name` (the rules of Hub repo ids) so it can be used in URLs and folder names. */
export function checkRepoId(repo: string): void {
  if (!repoIdPattern.test(repo) || repo.includes('--') || repo.includes('..')) {
    throw new InvalidArgumentError({
      argument: 'repo',
      value: repo,
      expected: 'a Hub repository id "owner/name" (letters, digits, "-", "_", "."; no "--" or "..")',
    });
  }
}

/** Checks a `/`-separated path inside a repository: relative, no `.`/`..` or empty parts. */
export function checkRepoPath(path: string, argument: 'path' | 'prefix' | 'revision'): void {
  if (!path.split('/').every(isPlainComponent)) {
    throw new InvalidArgumentError({
      argument,
      value: path,
      expected: `a relative "/"-separated ${argument} without empty, "." or ".." parts`,
    });
  }
}

const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');
const typePrefix = (repoType: RepoType) => (repoType === 'dataset' ? 'datasets/' : '');

/** `<endpoint>/[datasets/]<owner>/<name>/resolve/<revision>/<path>`, the revision as one segment. */
export function resolveUrl(endpoint: string, at: RepoAtRevision, path: string): string {
  return `${endpoint}/${typePrefix(at.repoType)}${at.repo}/resolve/${encodeURIComponent(at.revision)}/${encodePath(path)}`;
}

/** The tree API listing everything under `prefix`: `<endpoint>/api/<models|datasets>/<repo>/tree/<rev>[/<prefix>]?recursive=true`. */
export function treeUrl(endpoint: string, at: RepoAtRevision, prefix: string): string {
  const under = prefix === '' ? '' : `/${encodePath(prefix)}`;
  return `${endpoint}/api/${at.repoType}s/${at.repo}/tree/${encodeURIComponent(at.revision)}${under}?recursive=true`;
}

/** The repository's folder in the mirror: `<mirror>/<models|datasets>/<owner>/<name>`. */
export function mirrorRepoDir(mirrorDir: string, repoType: RepoType, repo: string): string {
  return join(mirrorDir, `${repoType}s`, ...repo.split('/'));
}

/** The repository's folder in the cache, named as huggingface_hub names it: `datasets--owner--name`. */
export function cacheRepoDir(cacheDir: string, repoType: RepoType, repo: string): string {
  return join(cacheDir, `${repoType}s--${repo.split('/').join('--')}`);
}

/** How errors name a file: `dataset stanfordnlp/imdb, file plain_text/x.parquet at revision main`. */
export function describeFile(at: RepoAtRevision, path: string): string {
  return `${at.repoType} ${at.repo}, file ${path} at revision ${at.revision}`;
}
