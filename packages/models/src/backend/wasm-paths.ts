import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { resolveInstalled } from '@rlgf/core';

const wasmBinaries = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm'];

/**
 * The `dist/` folder of the installed `@tensorflow/tfjs-backend-wasm` package, holding the
 * `.wasm` binaries, or undefined when it cannot be resolved (the backend then falls back to the
 * folder of its own script, which is the same place in an ordinary install).
 */
export function locateWasmDirectory(): string | undefined {
  const manifest = resolveInstalled('@tensorflow/tfjs-backend-wasm/package.json');
  if (manifest === undefined) return undefined;
  const folder = join(dirname(manifest), 'dist');
  return wasmBinaries.every((name) => existsSync(join(folder, name))) ? `${folder}/` : undefined;
}
