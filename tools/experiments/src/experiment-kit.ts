import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { runRlgf } from './run-rlgf';
import { finished, readRun, type RunResult } from './run-results';

// What every experiment does the same way: runs that are reused when they finished earlier, the
// exact recipes kept next to them, cached command outputs, and the report written at the end.

/**
 * Runs `rlgf train` on `recipe` unless its run already finished; keeps the recipe under
 * `<root>/recipes/`. A run stopped part-way (Ctrl-C, a reboot) continues from its newest
 * checkpoint, so a long experiment can span several sittings.
 */
export async function trainOnce<Recipe extends { readonly name: string; readonly outputDir: string }>(root: string, recipe: Recipe): Promise<RunResult> {
  if (!finished(recipe.outputDir)) {
    const path = `${root}/recipes/${recipe.name}.yaml`;
    writeFileSync(path, stringify(recipe));
    await runRlgf(['train', '--config', path, '--continue'], { label: recipe.name });
  }
  return readRun(recipe.outputDir);
}

/** The JSON an rlgf command printed, kept in `file`; the command runs only when the file is missing. */
export async function cachedOutput<T>(file: string, produce: () => Promise<string>): Promise<T> {
  if (!existsSync(file)) writeFileSync(file, await produce());
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** The corpus scores of an `rlgf eval` kept in `file` (see {@link cachedOutput}). */
export async function cachedScores(file: string, produce: () => Promise<string>): Promise<Record<string, number>> {
  return (await cachedOutput<{ scores: Record<string, number> }>(file, produce)).scores;
}

/**
 * Wall-clock minutes from the first file an experiment wrote (`firstFile`) to the last of its runs'
 * summaries, from the files themselves: a re-run that reuses finished runs reports the original time.
 */
export function experimentMinutes(firstFile: string, runs: readonly RunResult[]): number {
  const modified = (path: string) => statSync(path).mtimeMs;
  return (Math.max(...runs.map((run) => modified(join(run.runDir, 'summary.md')))) - modified(firstFile)) / 60_000;
}

export function writeReport(path: string, lines: readonly string[]): void {
  writeFileSync(path, lines.join('\n'));
  process.stdout.write(`wrote ${path}\n`);
}

/** Runs an experiment's main function, ending the process with its error in one line. */
export function runExperiment(main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
