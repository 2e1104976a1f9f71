import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** One entry of the Hub tree API, with the fields clients read (the Hub adds `oid`, `lfs`, ...). */
export interface TreeEntry {
  readonly type: 'file' | 'directory';
  readonly path: string;
  readonly size: number;
}

/**
 * Entries under `prefix` of the repository folder `repoDir`, sorted by path: only the direct
 * children, or everything below when `recursive`. Undefined when `prefix` is not a directory.
 */
export async function listTreeEntries(repoDir: string, prefix: string, recursive: boolean): Promise<TreeEntry[] | undefined> {
  const start = join(repoDir, prefix);
  const info = await stat(start).catch(() => undefined);
  if (!info?.isDirectory()) return undefined;
  const entries: TreeEntry[] = [];
  const visit = async (relative: string): Promise<void> => {
    const children = await readdir(join(repoDir, relative), { withFileTypes: true });
    for (const child of children) {
      const path = relative === '' ? child.name : `${relative}/${child.name}`;
      if (child.isDirectory()) {
        entries.push({ type: 'directory', path, size: 0 });
        if (recursive) await visit(path);
      } else if (child.isFile()) {
        entries.push({ type: 'file', path, size: (await stat(join(repoDir, path))).size });
      }
    }
  };
  await visit(prefix);
  return entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
