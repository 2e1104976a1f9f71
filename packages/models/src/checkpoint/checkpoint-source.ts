import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError, ModelFormatError } from '@rlgf/contracts';
import type { HubFilesV1 } from '@rlgf/contracts';
import type { CheckpointFileReader } from '../tokenizers/load-tokenizer-files';

/** The files of a checkpoint, local or on the Hub, by name relative to its folder. */
export interface CheckpointSource extends CheckpointFileReader {
  /** Every file name the checkpoint has (recursive, `/`-separated), sorted. */
  readonly names: readonly string[];
  /** A local path of the file: itself, or its copy in the Hub cache (downloaded when needed). */
  localPath(name: string): Promise<string>;
}

export interface OpenCheckpointOptions {
  /** Needed for Hub model ids; local directories are read directly. */
  readonly hub?: HubFilesV1;
  /** Branch, tag or commit of a Hub model. Default `main`. */
  readonly revision?: string;
  /** Folder inside the directory or repository that holds the checkpoint. */
  readonly subfolder?: string;
  readonly abortSignal?: AbortSignal;
}

const hubModelId = /^[A-Za-z0-9][\w.-]*\/[\w.-]+(\/[\w.-]+)*$/;

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

async function listLocal(dir: string, prefix = ''): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const name = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) names.push(...(await listLocal(dir, name)));
    else names.push(name);
  }
  return names.sort();
}

function sourceFrom(label: string, names: string[], localPath: (name: string) => Promise<string>): CheckpointSource {
  const known = new Set(names);
  return {
    label,
    names,
    has: (name) => known.has(name),
    localPath,
    readText: async (name) => readFile(await localPath(name), 'utf8'),
  };
}

/**
 * Opens a checkpoint given as a local directory or as a Hub model id `owner/name` (optionally
 * followed by `/sub/folder`). A path that exists locally always wins over a Hub id.
 */
export async function openCheckpointSource(source: string, options: OpenCheckpointOptions = {}): Promise<CheckpointSource> {
  const subfolder = (options.subfolder ?? '').replace(/^\/+|\/+$/g, '');
  const localDir = subfolder === '' ? source : join(source, subfolder);
  if (await isDirectory(localDir)) {
    return sourceFrom(localDir, await listLocal(localDir), async (name) => join(localDir, name));
  }
  if (!hubModelId.test(source)) {
    throw new ModelFormatError({ file: localDir, message: 'is not a directory', hint: 'pass a checkpoint directory or a Hub model id like owner/name' });
  }
  if (!options.hub) {
    throw new InvalidArgumentError({
      argument: 'checkpoint',
      value: source,
      expected: 'an existing directory, or a Hub model id together with Hub access (the `hub` option)',
    });
  }
  const hub = options.hub;
  const [owner, name, ...rest] = source.split('/');
  const repo = `${owner}/${name}`;
  const prefix = [...rest, ...(subfolder === '' ? [] : [subfolder])].join('/');
  const at = { repoType: 'model' as const, repo, revision: options.revision };
  const signal = { abortSignal: options.abortSignal };
  const listed = await hub.listFiles({ ...at, prefix: prefix === '' ? undefined : prefix }, signal);
  const names = listed.map((path) => (prefix === '' ? path : path.slice(prefix.length + 1))).sort();
  const label = `${repo}${prefix === '' ? '' : `/${prefix}`}${options.revision ? `@${options.revision}` : ''}`;
  return sourceFrom(label, names, (file) => hub.resolveFile({ ...at, path: prefix === '' ? file : `${prefix}/${file}` }, signal));
}
