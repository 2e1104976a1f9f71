import { PluginLoadError, type RlgfPluginV1 } from '@rlgf/contracts';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

function entryOfDirectory(dir: string): string | undefined {
  const manifest = join(dir, 'package.json');
  if (existsSync(manifest)) {
    const main = (JSON.parse(readFileSync(manifest, 'utf8')) as { main?: string }).main;
    if (main) return join(dir, main);
  }
  return ['src/index.ts', 'index.ts', 'index.js', 'index.mjs'].map((file) => join(dir, file)).find((file) => existsSync(file));
}

/** Checks the shape of a module's export and returns it as a plugin. */
export function asPlugin(candidate: unknown, source: string): RlgfPluginV1 {
  const plugin = candidate as Partial<RlgfPluginV1> | undefined;
  const problem =
    typeof plugin !== 'object' || plugin === null
      ? 'it exports no `plugin` object (nor a default export)'
      : plugin.specificationVersion !== 'v1'
        ? `its specificationVersion is ${JSON.stringify(plugin.specificationVersion)}, this core supports "v1"`
        : typeof plugin.id !== 'string' || plugin.id === ''
          ? 'its `id` is not a non-empty string'
          : typeof plugin.register !== 'function'
            ? 'it has no `register(container, options)` function'
            : undefined;
  if (problem) {
    throw new PluginLoadError({
      plugin: source,
      reason: problem,
      hint: 'a plugin module exports `plugin` (or a default export) created with definePlugin() from @rlgf/core',
    });
  }
  return plugin as RlgfPluginV1;
}

/**
 * Imports a module named in a recipe: an npm package name, or a path (a `.ts`/`.js` file or a
 * package directory) relative to `baseDir`. TypeScript files load through the loader the CLI runs
 * under (tsx), so a plugin, a reward function or a metric can be one file next to the recipe.
 * Failures are PluginLoadErrors naming `specifier`.
 */
export async function importModule(specifier: string, options: { baseDir: string }): Promise<Record<string, unknown>> {
  const isPath = specifier.startsWith('.') || isAbsolute(specifier);
  let target = specifier;
  if (isPath) {
    const path = resolve(options.baseDir, specifier);
    if (!existsSync(path)) {
      throw new PluginLoadError({ plugin: specifier, reason: `no file or directory at ${path}` });
    }
    const entry = statSync(path).isDirectory() ? entryOfDirectory(path) : path;
    if (!entry || !existsSync(entry)) {
      throw new PluginLoadError({
        plugin: specifier,
        reason: `directory ${path} has no entry point`,
        hint: 'give it a package.json with "main", or an index.ts',
      });
    }
    // A plain absolute path, not a file URL: it works for Node's ESM loader and for CommonJS
    // transpilers (jest) alike.
    target = entry;
  }
  try {
    return (await import(target)) as Record<string, unknown>;
  } catch (cause) {
    throw new PluginLoadError({
      plugin: specifier,
      reason: cause instanceof Error ? cause.message.split('\n')[0] : String(cause),
      hint: isPath ? undefined : `install it (npm install ${specifier}) or give a path starting with ./`,
      cause,
    });
  }
}

/**
 * Imports a plugin named by a recipe: an npm package name (`@rlgf/task-imdb`), or a path to a
 * module or package directory relative to `baseDir` (the recipe's folder).
 */
export async function importPlugin(specifier: string, options: { baseDir: string }): Promise<RlgfPluginV1> {
  const loaded = await importModule(specifier, options);
  const defaultExport = loaded.default as Record<string, unknown> | undefined;
  return asPlugin(loaded.plugin ?? defaultExport?.plugin ?? defaultExport, specifier);
}
