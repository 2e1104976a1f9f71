export { createHubFiles } from './create-hub-files';
export { defaultEndpoint, hubSettingsFromEnv, type HubSettings } from './hub-settings';
export { cacheRepoDir, mirrorRepoDir } from './repo-paths';
