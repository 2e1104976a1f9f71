import { CheckpointError, type LoggerV1 } from '@rlgf/contracts';
import type { LoadedRecipe, RecipeChange } from '@rlgf/recipe';
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { createDirectoryCheckpointStore } from '../checkpoint/directory-checkpoint-store';

/** The recipe as run; `--resume` reads it. */
export const recipeFile = 'recipe.yaml';
/** One JSON line per resume that changed the recipe with `--set`. */
export const recipeChangesFile = 'recipe-changes.jsonl';

/** A resume that changed the recipe, as `recipe-changes.jsonl` records it. */
export interface RecipeChangeRecord {
  readonly at: string;
  /** The checkpoint the run resumed from; null when it had none yet (a stage, or iteration 0). */
  readonly afterIteration: number | null;
  readonly changes: readonly RecipeChange[];
}

// A credential is never written to the log or the summary (recipe.yaml keeps what was given).
const shown = (change: RecipeChange): RecipeChange => (/token$/i.test(change.path) ? { ...change, from: '(not shown)', to: '(not shown)' } : change);

/** `path from → to`, and `(--force)` for a change to the computation. */
export function describeChange(change: RecipeChange): string {
  return `${change.path} ${JSON.stringify(change.from) ?? 'unset'} → ${JSON.stringify(change.to) ?? 'unset'}${change.changesComputation ? ' (--force)' : ''}`;
}

export function readRecipeChanges(runDir: string): RecipeChangeRecord[] {
  const path = join(runDir, recipeChangesFile);
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as RecipeChangeRecord);
}

/** Writes recipe.yaml in one step, headed by the changes made on resume (a YAML comment). */
async function writeRecipe(runDir: string, document: Record<string, unknown>, records: readonly RecipeChangeRecord[]): Promise<void> {
  const header = records.flatMap((record) => [
    `# changed on resume ${record.afterIteration === null ? 'before iteration 1' : `after iteration ${record.afterIteration}`} (${record.at}; ${recipeChangesFile}):`,
    ...record.changes.map((change) => `#   ${describeChange(change)}`),
  ]);
  const path = join(runDir, recipeFile);
  await writeFile(`${path}.tmp-${process.pid}`, [...header, stringify(document)].join('\n'));
  await rename(`${path}.tmp-${process.pid}`, path);
}

/**
 * Opens the run directory of a fresh start: refuses one whose run already wrote checkpoints (or,
 * for SFT, its model), so nothing saved is lost, and writes recipe.yaml first of all, so that a
 * run stopped anywhere, in a stage included, resumes with `--resume <dir>`.
 */
export async function startRunDirectory(runDir: string, loaded: LoadedRecipe, command: 'train' | 'sft'): Promise<void> {
  const newest = await createDirectoryCheckpointStore({ root: join(runDir, 'checkpoints'), keep: 1 }).latest();
  if (newest || (command === 'sft' && existsSync(join(runDir, 'model')))) {
    throw new CheckpointError({
      message: `run directory ${runDir} already has ${newest ? `checkpoints (latest after iteration ${newest.iteration})` : 'an SFT model'}`,
      hint: `continue it with \`rlgf ${command} --resume ${runDir}\`, or start anew with --set outputDir=<another directory>`,
    });
  }
  await mkdir(runDir, { recursive: true });
  // Changes recorded by an earlier start that left no checkpoint describe a run that is not this one.
  const changes = join(runDir, recipeChangesFile);
  if (existsSync(changes)) {
    const setAside = join(runDir, 'checkpoints', 'set-aside');
    await mkdir(setAside, { recursive: true });
    await rename(changes, join(setAside, `${recipeChangesFile.replace('.jsonl', '')}-${new Date().toISOString().replace(/[:.]/g, '-')}.jsonl`));
  }
  await writeRecipe(runDir, loaded.document, []);
}

/** Records `--set` changes made on resume: a line in recipe-changes.jsonl, and recipe.yaml updated. */
export async function recordRecipeChanges(
  runDir: string,
  loaded: LoadedRecipe,
  changes: readonly RecipeChange[],
  afterIteration: number | undefined,
  logger: LoggerV1,
): Promise<void> {
  if (changes.length === 0) return;
  const record: RecipeChangeRecord = { at: new Date().toISOString(), afterIteration: afterIteration ?? null, changes: changes.map(shown) };
  logger.warn(`--set on --resume changed ${record.changes.map(describeChange).join(', ')}: recorded in ${join(runDir, recipeFile)} and ${recipeChangesFile}`);
  await appendFile(join(runDir, recipeChangesFile), `${JSON.stringify(record)}\n`);
  await writeRecipe(runDir, loaded.document, readRecipeChanges(runDir));
}
