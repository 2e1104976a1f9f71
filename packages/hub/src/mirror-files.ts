import { HubError } from '@rlgf/contracts';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describeFile, mirrorRepoDir, type RepoAtRevision } from './repo-paths';
import { walkFiles } from './walk-files';

const mirrorHint = 'the mirror (RLGF_HUB_MIRROR) is authoritative when set: add the files to it, or unset RLGF_HUB_MIRROR to use the cache and the Hub';

/**
 * A file of the mirror folder. The mirror holds one version of each repository, so the revision
 * is not looked at.
 */
export async function mirrorFile(mirrorDir: string, at: RepoAtRevision, path: string): Promise<string> {
  const file = join(mirrorRepoDir(mirrorDir, at.repoType, at.repo), ...path.split('/'));
  if (!(await stat(file).catch(() => undefined))?.isFile()) {
    throw new HubError({ message: `${describeFile(at, path)} is not in the mirror: no file at ${file}`, hint: mirrorHint });
  }
  return file;
}

/** Files of a mirrored repository under `prefix`; a missing repository folder is an error. */
export async function listMirrorFiles(mirrorDir: string, at: RepoAtRevision, prefix: string): Promise<string[]> {
  const repoDir = mirrorRepoDir(mirrorDir, at.repoType, at.repo);
  if (!(await stat(repoDir).catch(() => undefined))?.isDirectory()) {
    throw new HubError({ message: `${at.repoType} ${at.repo} is not in the mirror: no folder ${repoDir}`, hint: mirrorHint });
  }
  return walkFiles(repoDir, prefix);
}
