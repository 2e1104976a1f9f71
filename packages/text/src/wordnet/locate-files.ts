import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InvalidArgumentError } from '@rlgf/contracts';
import { resolveInstalled } from '@rlgf/core';

export interface WordNetFiles {
  /** Folder with WordNet 3.0's `index.*` and `data.*` files (the `wordnet` npm package's `db/`). */
  readonly databaseDir: string;
  /** Folder with WordNet 3.0's morphological exception lists `*.exc` (shipped in this package). */
  readonly exceptionsDir: string;
}

function packageDir(name: string): string | undefined {
  const manifest = resolveInstalled(`${name}/package.json`);
  return manifest && dirname(manifest);
}

/** Finds the WordNet 3.0 files: explicit folders win, then `RLGF_WORDNET_DIR`, then the installed packages. */
export function locateWordNetFiles(overrides: Partial<WordNetFiles> = {}, env: NodeJS.ProcessEnv = process.env): WordNetFiles {
  const textDir = packageDir('@rlgf/text');
  const databaseDir = overrides.databaseDir ?? env.RLGF_WORDNET_DIR ?? (packageDir('wordnet') && join(packageDir('wordnet') as string, 'db'));
  const exceptionsDir = overrides.exceptionsDir ?? env.RLGF_WORDNET_DIR ?? (textDir && join(textDir, 'data', 'wordnet-3.0'));
  if (!databaseDir || !existsSync(join(databaseDir, 'index.noun'))) {
    throw new InvalidArgumentError({
      argument: 'wordnet database',
      value: databaseDir,
      expected: 'a folder with WordNet 3.0 index.* and data.* files',
      hint: 'run `npm ci` (the `wordnet` package ships them) or set RLGF_WORDNET_DIR to a WordNet 3.0 dict folder',
    });
  }
  if (!exceptionsDir || !existsSync(join(exceptionsDir, 'verb.exc'))) {
    throw new InvalidArgumentError({
      argument: 'wordnet exceptions',
      value: exceptionsDir,
      expected: 'a folder with WordNet 3.0 *.exc files',
      hint: 'reinstall @rlgf/text (it ships data/wordnet-3.0) or set RLGF_WORDNET_DIR to a WordNet 3.0 dict folder',
    });
  }
  return { databaseDir, exceptionsDir };
}
