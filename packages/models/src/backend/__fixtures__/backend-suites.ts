import { spawnSync } from 'node:child_process';
import { dawnBindingPath, webGpuAdapterHint } from '../webgpu-runtime';

/** The backends whose correctness suites every backend-parametrised spec runs. */
export type SuiteBackend = 'cpu' | 'wasm' | 'webgpu';

let probed: { adapter: string } | { reason: string } | undefined;

/**
 * Whether this machine has a WebGPU adapter, asked once per test file in a child process (jest
 * needs the answer synchronously, while describing tests; a child also keeps a crashing driver
 * out of the test process). RLGF_WEBGPU=off skips without asking.
 */
export function webGpuAdapter(): { adapter: string } | { reason: string } {
  if (probed !== undefined) return probed;
  if (process.env['RLGF_WEBGPU'] === 'off') return (probed = { reason: 'RLGF_WEBGPU=off' });
  const located = dawnBindingPath();
  if ('reason' in located) return (probed = { reason: located.reason });
  const script = `const d=require(${JSON.stringify(located.path)});d.create([]).requestAdapter().then(a=>{console.log(a?'ADAPTER '+(a.info?.description??''):'NONE');process.exit(0)},e=>{console.log('NONE '+e.message);process.exit(0)})`;
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
  const line = (child.stdout ?? '').split('\n').find((text) => text.startsWith('ADAPTER') || text.startsWith('NONE')) ?? 'NONE';
  probed = line.startsWith('ADAPTER') ? { adapter: line.slice('ADAPTER '.length) } : { reason: 'no WebGPU adapter (no Vulkan driver on this machine)' };
  return probed;
}

/**
 * `describe.each(backends)`, where a backend this machine cannot run is a skipped suite whose
 * title says why and how to get it (skip by capability, never by test name).
 */
export function describeOnBackends(title: string, backends: readonly SuiteBackend[], body: (backend: SuiteBackend) => void): void {
  for (const backend of backends) {
    const name = title.replace('%s', backend);
    const webgpu = backend === 'webgpu' ? webGpuAdapter() : undefined;
    if (webgpu !== undefined && 'reason' in webgpu) {
      describe.skip(`${name} (skipped: ${webgpu.reason}; ${webGpuAdapterHint})`, () => body(backend));
    } else {
      describe(name, () => body(backend));
    }
  }
}
