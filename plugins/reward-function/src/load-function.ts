import { InvalidArgumentError } from '@rlgf/contracts';
import { importModule } from '@rlgf/core';

/**
 * The function a recipe names: export `exportName` of the module at `module` (a `.ts` or `.js`
 * file relative to the working directory, or a package). `.ts` files load through tsx, which
 * the CLI runs under, so the function needs no build step.
 */
export async function loadFunction(kind: 'reward' | 'metric', module: string, exportName: string, workingDirectory: string): Promise<(...args: unknown[]) => unknown> {
  const loaded = await importModule(module, { baseDir: workingDirectory });
  // A CommonJS-compiled module (jest, or a .cjs file) puts ESM exports under `default` too.
  const candidate = loaded[exportName] ?? (loaded.default as Record<string, unknown> | undefined)?.[exportName];
  if (typeof candidate !== 'function') {
    const exported = Object.keys(loaded).filter((name) => typeof loaded[name] === 'function');
    throw new InvalidArgumentError({
      argument: `${kind}.options.export`,
      value: exportName,
      expected: `the name of a function exported by ${module}${exported.length > 0 ? ` (it exports ${exported.join(', ')})` : ' (it exports no function)'}`,
    });
  }
  return candidate as (...args: unknown[]) => unknown;
}
