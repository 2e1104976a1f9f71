import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { resolveInstalled } from '@rlgf/core';

/** How to get a WebGPU adapter where there is none (said by errors and skipped suites). */
export const webGpuAdapterHint =
  'on a GPU machine install its Vulkan driver; on a CPU-only Debian bookworm machine run tools/ci/install-webgpu-driver.sh ' +
  '(Mesa lavapipe from bookworm-backports: slow, for correctness only); or pick --backend wasm';

/** The part of Dawn's Node binding (`webgpu` npm package, `dawn.node`) used here. */
interface DawnBinding {
  create(flags: string[]): { requestAdapter(): Promise<object | null> };
  globals: Record<string, unknown>;
}

/**
 * Path of the `dawn.node` inside the installed `webgpu` package for this platform, or a reason
 * why there is none. Loaded directly (the package's own entry is ESM-only, jest runs CommonJS).
 */
export function dawnBindingPath(): { path: string } | { reason: string } {
  const manifest = resolveInstalled('webgpu/package.json');
  if (manifest === undefined) return { reason: 'the webgpu npm package is not installed (npm install webgpu)' };
  const folder = dirname(manifest);
  const platform = process.platform === 'darwin' ? 'darwin-universal' : `${process.platform}-${process.arch}`;
  const path = join(folder, 'dist', platform, 'dawn.node');
  return existsSync(path) ? { path } : { reason: `the webgpu npm package ships no Dawn binary for ${platform}` };
}

let installed: Promise<string> | undefined;

/**
 * Makes `navigator.gpu` (and the WebGPU globals tfjs-backend-webgpu reads) Dawn's, once per
 * process, and resolves to the adapter's description; rejects with a one-line reason when Dawn
 * cannot load or finds no adapter (no Vulkan driver). RLGF_WEBGPU=off turns it off (tests use it
 * to see the refusal on a machine that has an adapter).
 */
export function installWebGpu(): Promise<string> {
  installed ??= load();
  return installed;
}

async function load(): Promise<string> {
  if (process.env['RLGF_WEBGPU'] === 'off') throw new Error('WebGPU is turned off here (RLGF_WEBGPU=off)');
  const located = dawnBindingPath();
  if ('reason' in located) throw new Error(located.reason);
  const dawn = createRequire(located.path)(located.path) as DawnBinding;
  const gpu = dawn.create([]);
  const adapter = (await gpu.requestAdapter()) as { info?: { description?: string; vendor?: string } } | null;
  if (adapter === null) throw new Error('Dawn found no WebGPU adapter (no Vulkan driver on this machine)');
  Object.assign(globalThis, dawn.globals);
  const host = globalThis as unknown as { navigator?: { gpu?: unknown } };
  if (host.navigator === undefined) Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  else if (host.navigator.gpu === undefined) Object.defineProperty(host.navigator, 'gpu', { value: gpu, configurable: true });
  return [adapter.info?.vendor, adapter.info?.description].filter(Boolean).join(': ') || 'unnamed adapter';
}

/** The WebGPU adapter's vendor and description (installing Dawn if needed), for reports. */
export function webGpuAdapterDescription(): Promise<string> {
  return installWebGpu();
}
