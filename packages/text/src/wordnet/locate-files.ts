import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { InvalidArgumentError } from '@rlgf/contracts';

export interface WordNetFiles {
  /** Folder with WordNet 3.0's `index.*` and `data.*` files (the `wordnet` npm package's `db/`). */
  readonly databaseDir: string;
  /** Folder with WordNet 3.0's morphological exception lists `*.exc` (shipped in this package). */
  readonly exceptionsDir: string;
}

// Library code is ESM without import.meta (jest runs it as CommonJS): resolve from the CommonJS
// `require` when there is one, else from the running script, else from the working directory.
function resolvers(): NodeJS.Require[] {
  const found: NodeJS.Require[] = [];
  if (typeof require === 'function') found.push(require);
  if (process.argv[1]) found.push(createRequire(process.argv[1]));
  found.push(createRequire(join(process.cwd(), 'index.js')));
  return found;
}

function packageDir(name: string): string | undefined {
  for (const resolver of resolvers()) {
    try {
      return dirname(resolver.resolve(`${name}/package.json`));
    } catch {
      // try the next resolver
    }
  }
  return undefined;
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
