import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Files below `root/prefix` (following symlinks, as cache snapshots are links to blobs), as
 * `/`-separated paths relative to `root`, sorted. Empty when `root/prefix` is not a directory.
 */
export async function walkFiles(root: string, prefix: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (relative: string): Promise<void> => {
    const entries = await readdir(join(root, relative), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = relative === '' ? entry.name : `${relative}/${entry.name}`;
      const kind = entry.isSymbolicLink() ? await stat(join(root, path)).catch(() => undefined) : entry;
      if (kind?.isDirectory()) await visit(path);
      else if (kind?.isFile()) found.push(path);
    }
  };
  await visit(prefix);
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
