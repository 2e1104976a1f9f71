import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { InvalidArgumentError, RlgfError } from '@rlgf/contracts';

const run = promisify(execFile);

export interface SpiceSettings {
  /** Path of `spice-1.0.jar` (with its `lib/` folder of Stanford CoreNLP jars beside it). */
  readonly jarPath: string;
  readonly javaPath?: string;
  /** Java heap, as pycocoevalcap passes it (`-Xmx8G`). */
  readonly maxMemory?: string;
  /** Folder where SPICE caches parses between runs. */
  readonly cacheDir: string;
}

/** One entry of SPICE's input file, as pycocoevalcap's Spice.compute_score writes it. */
export interface SpiceInputEntry {
  readonly image_id: string;
  readonly test: string;
  readonly refs: readonly string[];
}

/** Fails with a clear error (and where to get the jar) when the SPICE jar is not there. */
export function requireSpiceJar(jarPath: string | undefined): string {
  if (jarPath && existsSync(jarPath)) return jarPath;
  throw new InvalidArgumentError({
    argument: 'jarPath',
    value: jarPath,
    expected: 'the path of an installed spice-1.0.jar (option `jarPath` or env SPICE_JAR)',
    hint: 'download SPICE 1.0 from https://panderson.me/spice/ (or pycocoevalcap\'s get_stanford_models.sh), unpack it with its lib/ folder, run it once with Java 8+ to fetch the Stanford CoreNLP models, then point jarPath at spice-1.0.jar',
  });
}

/** Writes SPICE's input file: a JSON list of `{image_id, test, refs}`. */
export async function writeSpiceInput(entries: readonly SpiceInputEntry[], dir: string): Promise<string> {
  const file = join(dir, 'spice-input.json');
  await writeFile(file, JSON.stringify(entries, null, 2));
  return file;
}

/** Reads SPICE's output file: the `All` F-score per image id, NaN where SPICE gives none. */
export function parseSpiceOutput(text: string): Map<string, number> {
  const results = JSON.parse(text) as { image_id: string; scores: { All: { f: unknown } } }[];
  return new Map(results.map((entry) => [String(entry.image_id), typeof entry.scores.All.f === 'number' ? entry.scores.All.f : Number.NaN]));
}

/** Runs the SPICE jar as pycocoevalcap does (`-subset -silent`) and returns the per-entry F-scores. */
export async function runSpice(entries: readonly SpiceInputEntry[], settings: SpiceSettings): Promise<number[]> {
  const jar = requireSpiceJar(settings.jarPath);
  await mkdir(settings.cacheDir, { recursive: true });
  const workDir = await mkdtemp(join(settings.cacheDir, 'run-'));
  try {
    const inputFile = await writeSpiceInput(entries, workDir);
    const outputFile = join(workDir, 'spice-output.json');
    const args = ['-jar', `-Xmx${settings.maxMemory ?? '8G'}`, jar, inputFile, '-cache', join(settings.cacheDir, 'cache'), '-out', outputFile, '-subset', '-silent'];
    try {
      await run(settings.javaPath ?? 'java', args, { maxBuffer: 64 * 1024 * 1024 });
    } catch (cause) {
      throw new RlgfError({
        name: 'RLGF_SpiceError',
        message: `SPICE failed: ${(cause as Error).message.split('\n')[0]}`,
        hint: 'check that Java 8+ runs `java -jar spice-1.0.jar` by hand and that its lib/ folder holds the Stanford CoreNLP jars',
        cause,
      });
    }
    const scores = parseSpiceOutput(await readFile(outputFile, 'utf8'));
    return entries.map((entry) => scores.get(entry.image_id) ?? Number.NaN);
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}
