import { createRequire } from 'node:module';
import { isAbsolute, join } from 'node:path';

/**
 * Where installed packages are looked for, in order. Library code is ESM without `import.meta`
 * (jest runs it as CommonJS), so there is no module-relative resolver to lean on everywhere:
 * the CommonJS `require` when there is one, else the running script's folder (the CLI's, so runs
 * started from any working directory find the CLI's own dependencies), else the working directory.
 */
export function packageResolvers(): NodeJS.Require[] {
  const resolvers: NodeJS.Require[] = [];
  if (typeof require === 'function') resolvers.push(require);
  // A worker started from source text has no script: its argv[1] reads `[worker eval]`.
  const script = process.argv[1];
  if (script !== undefined && isAbsolute(script)) resolvers.push(createRequire(script));
  resolvers.push(createRequire(join(process.cwd(), 'index.js')));
  return resolvers;
}

/** The path `specifier` resolves to from the first of `packageResolvers()` that finds it, or undefined. */
export function resolveInstalled(specifier: string): string | undefined {
  for (const resolver of packageResolvers()) {
    try {
      return resolver.resolve(specifier);
    } catch {
      // not installed where this one looks: try the next
    }
  }
  return undefined;
}
