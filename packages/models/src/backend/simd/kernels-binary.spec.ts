import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { kernelsCompiler, kernelsSourceSha256, kernelsWasmBase64 } from './kernels-binary';

describe('the embedded SIMD kernels', () => {
  it('were compiled from the kernels.c beside them (rebuild: npx nx run models:build-kernels)', () => {
    const source = readFileSync(join(__dirname, 'kernels.c'));
    expect(createHash('sha256').update(source).digest('hex')).toBe(kernelsSourceSha256);
  });

  it('name the compiler that built them and are a valid wasm module', () => {
    expect(kernelsCompiler).toMatch(/clang version \d+\.\d+\.\d+/);
    const bytes = Buffer.from(kernelsWasmBase64, 'base64');
    const webAssembly = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly;
    expect(webAssembly.validate(bytes)).toBe(true);
  });
});
