import type { HubFilesV1, LoggerV1 } from '@rlgf/contracts';
import { createHubFiles, hubSettingsFromEnv } from '@rlgf/hub';
import { resolve } from 'node:path';

/**
 * Hub access for a command: the usual HF_* variables and RLGF_HUB_MIRROR, overridden by a
 * recipe's `hub` section (its mirror path is relative to the working directory).
 */
export function createHub(options: {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  readonly logger: LoggerV1;
  readonly recipeHub?: { readonly mirror?: string; readonly offline?: boolean };
}): HubFilesV1 {
  const fromEnv = hubSettingsFromEnv({ ...options.env } as NodeJS.ProcessEnv);
  return createHubFiles({
    ...fromEnv,
    mirrorDir: options.recipeHub?.mirror !== undefined ? resolve(options.cwd, options.recipeHub.mirror) : fromEnv.mirrorDir,
    offline: options.recipeHub?.offline ?? fromEnv.offline,
    logger: options.logger,
  });
}
