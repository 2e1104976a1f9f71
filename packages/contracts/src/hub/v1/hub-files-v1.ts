/** A file in a Hugging Face Hub repository. */
export interface HubFileRefV1 {
  readonly repoType: 'model' | 'dataset';
  /** `owner/name`. */
  readonly repo: string;
  /** Path inside the repository, `/`-separated. */
  readonly path: string;
  /** Branch, tag or commit. Default `main`. */
  readonly revision?: string;
}

/**
 * Resolves Hub files to local paths: from a mirror directory, the local cache, or a download.
 * Plugins get files through this rather than fetching themselves, so mirrors, caches, offline
 * mode and tokens work the same everywhere.
 */
export interface HubFilesV1 {
  /** Local path of the file, downloading it into the cache first when needed. */
  resolveFile(file: HubFileRefV1, options?: { readonly abortSignal?: AbortSignal }): Promise<string>;
  /** Paths of all files in the repository under `prefix` (recursive), sorted. */
  listFiles(
    repo: Omit<HubFileRefV1, 'path'> & { readonly prefix?: string },
    options?: { readonly abortSignal?: AbortSignal },
  ): Promise<string[]>;
}
