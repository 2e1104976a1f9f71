import { RecipeError } from '@rlgf/contracts';
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, resolve } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { describeIssues } from './issues';
import { applyOverrides, parseOverride } from './overrides';
import { recipeSchema, type Recipe } from './schema/recipe';
import { expandShorthands } from './shorthands';

export interface LoadedRecipe {
  readonly recipe: Recipe;
  /** Absolute path of the recipe file (or `<inline>`). */
  readonly source: string;
  /** Directory that plugin paths in the recipe are relative to. */
  readonly baseDir: string;
  /** The document after overrides, before defaults: what a resumed run re-validates. */
  readonly document: Record<string, unknown>;
}

/** Validates a recipe document (already parsed), applying `--set` overrides first. */
export function parseRecipe(
  document: unknown,
  options: { source: string; baseDir: string; overrides?: readonly string[]; defaultName?: string },
): LoadedRecipe {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new RecipeError({ source: options.source, issues: [{ path: '', message: 'expected a mapping of fields (task, policy, algorithm, ...)' }] });
  }
  const withOverrides = applyOverrides(expandShorthands(document as Record<string, unknown>), (options.overrides ?? []).map(parseOverride));
  const named = withOverrides.name === undefined && options.defaultName ? { name: options.defaultName, ...withOverrides } : withOverrides;
  const result = recipeSchema.safeParse(named);
  if (!result.success) {
    throw new RecipeError({
      source: options.source,
      issues: describeIssues(result.error.issues, named),
      hint: 'see docs/recipes.md for every field',
    });
  }
  return { recipe: result.data, source: options.source, baseDir: options.baseDir, document: named };
}

/** Reads, parses and validates a YAML recipe file. */
export async function loadRecipe(path: string, options: { cwd?: string; overrides?: readonly string[] } = {}): Promise<LoadedRecipe> {
  const source = resolve(options.cwd ?? process.cwd(), path);
  let text: string;
  try {
    text = await readFile(source, 'utf8');
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    throw new RecipeError({
      source: path,
      issues: [{ path: '', message: code === 'ENOENT' ? 'file not found' : `cannot read it (${code ?? String(cause)})` }],
    });
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (cause) {
    const where = cause instanceof YAMLParseError && cause.linePos ? `line ${cause.linePos[0].line}, column ${cause.linePos[0].col}` : '';
    const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    throw new RecipeError({ source: path, issues: [{ path: '', message: `not valid YAML${where ? ` at ${where}` : ''}: ${reason}` }] });
  }
  return parseRecipe(document, {
    source: path,
    baseDir: dirname(source),
    overrides: options.overrides,
    defaultName: basename(source, extname(source)),
  });
}

/** The run directory of a recipe: `outputDir`, or `runs/<name>`, relative to `cwd`. */
export function runDirectory(recipe: Recipe, cwd: string): string {
  return resolve(cwd, recipe.outputDir ?? `runs/${recipe.name}`);
}
