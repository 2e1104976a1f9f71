import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The file in each checkpoint that lists its other files; written after them, before COMPLETE. */
export const manifestName = 'MANIFEST.json';
const manifestFormat = 'rlgf-checkpoint-manifest/v1';

export interface ManifestEntry {
  readonly bytes: number;
  readonly sha256: string;
}

export interface CheckpointManifest {
  readonly format: typeof manifestFormat;
  /** Every file of the checkpoint but the manifest and the completion marker, by `/`-separated path. */
  readonly files: Readonly<Record<string, ManifestEntry>>;
}

/** How a checkpoint compares with its manifest. */
export type ManifestCheck =
  | { readonly status: 'intact' }
  /** Written before checkpoints carried manifests: nothing to check it against. */
  | { readonly status: 'unverified' }
  | { readonly status: 'damaged'; readonly reason: string };

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const names: string[] = [];
  for (const entry of await readdir(join(dir, prefix), { withFileTypes: true })) {
    const name = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) names.push(...(await listFiles(dir, name)));
    else names.push(name);
  }
  return names.sort();
}

async function describeFile(path: string): Promise<ManifestEntry> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).byteLength;
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** Hashes every file under `dir` (except `skip`) and writes the manifest. */
export async function writeManifest(dir: string, skip: readonly string[]): Promise<CheckpointManifest> {
  const files: Record<string, ManifestEntry> = {};
  for (const name of await listFiles(dir)) {
    if (name !== manifestName && !skip.includes(name)) files[name] = await describeFile(join(dir, ...name.split('/')));
  }
  const manifest: CheckpointManifest = { format: manifestFormat, files };
  await writeFile(join(dir, manifestName), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

async function readManifest(dir: string): Promise<CheckpointManifest | 'missing' | 'unreadable'> {
  let text: string;
  try {
    text = await readFile(join(dir, manifestName), 'utf8');
  } catch (cause) {
    return (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'unreadable';
  }
  try {
    const parsed = JSON.parse(text) as CheckpointManifest;
    return parsed?.format === manifestFormat && typeof parsed.files === 'object' && parsed.files !== null ? parsed : 'unreadable';
  } catch {
    return 'unreadable';
  }
}

/** The first difference between a file and its manifest entry, as a phrase; undefined when none. */
async function fileDifference(dir: string, name: string, expected: ManifestEntry): Promise<string | undefined> {
  if (name.split('/').some((part) => part === '' || part === '.' || part === '..')) return `the manifest lists ${JSON.stringify(name)}, a path outside the checkpoint`;
  const path = join(dir, ...name.split('/'));
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) return `${name} is missing`;
  // The size first: a truncated file is told without reading it.
  if (info.size !== expected.bytes) return `${name} has ${info.size} bytes, the manifest says ${expected.bytes}`;
  const actual = await describeFile(path);
  return actual.sha256 === expected.sha256 ? undefined : `${name} has sha256 ${actual.sha256}, the manifest says ${expected.sha256}`;
}

/**
 * Checks every file the manifest lists, size then sha256, and stops at the first difference.
 * Files the manifest does not list are ignored (a note someone left does not spoil a checkpoint).
 */
export async function checkManifest(dir: string): Promise<ManifestCheck> {
  const manifest = await readManifest(dir);
  if (manifest === 'missing') return { status: 'unverified' };
  if (manifest === 'unreadable') return { status: 'damaged', reason: `${manifestName} cannot be read` };
  for (const [name, expected] of Object.entries(manifest.files)) {
    const difference = await fileDifference(dir, name, expected);
    if (difference !== undefined) return { status: 'damaged', reason: difference };
  }
  return { status: 'intact' };
}
