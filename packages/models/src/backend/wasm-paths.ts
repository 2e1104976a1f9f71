import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const wasmBinaries = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm'];

/**
 * The `dist/` folder of the installed `@tensorflow/tfjs-backend-wasm` package, holding the
 * `.wasm` binaries, or undefined when it cannot be resolved (the backend then falls back to the
 * folder of its own script, which is the same place in an ordinary install).
 */
export function locateWasmDirectory(): string | undefined {
  // Library code is ESM without import.meta (jest runs it as CommonJS): resolve from the
  // CommonJS `require` when there is one, else from the working directory.
  const resolver = typeof require === 'function' ? require : createRequire(join(process.cwd(), 'index.js'));
  try {
    const folder = join(dirname(resolver.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
    return wasmBinaries.every((name) => existsSync(join(folder, name))) ? `${folder}/` : undefined;
  } catch {
    return undefined;
  }
}
