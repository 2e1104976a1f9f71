import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The folder of real Hub files that tests read, from `RLGF_HUB_MIRROR` (CI sets `../shared/hub`,
 * resolved against the working directory). Throws with the fix when it is unset or missing.
 */
export function sharedHubMirror(env: NodeJS.ProcessEnv = process.env): string {
  const setting = env.RLGF_HUB_MIRROR;
  if (!setting) {
    throw new Error('RLGF_HUB_MIRROR is not set: these tests read real Hub files; run them with RLGF_HUB_MIRROR=../shared/hub from the repository root');
  }
  const dir = resolve(setting);
  if (!existsSync(dir)) throw new Error(`RLGF_HUB_MIRROR points at ${dir}, which does not exist`);
  return dir;
}
