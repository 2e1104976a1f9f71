import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { run } from './processes';

/** What the numbers were measured on, for the report. */
export async function describeMachine(): Promise<string[]> {
  const lscpu = await run('lscpu', []).catch(() => undefined);
  const field = (name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'm').exec(lscpu?.stdout ?? '')?.[1]?.trim();
  const flags = field('Flags') ?? '';
  const simd = ['avx2', 'fma', 'avx512f'].filter((flag) => flags.split(' ').includes(flag)).join(', ');
  return [
    `CPU: ${field('Model name') ?? cpus()[0]?.model ?? 'unknown'} (${field('CPU\\(s\\)') ?? cpus().length} CPUs, ${field('Thread\\(s\\) per core') ?? '?'} thread per core; ${simd || 'no AVX2'}; L2 ${field('L2 cache') ?? '?'}, L3 ${field('L3 cache') ?? '?'}; hypervisor ${field('Hypervisor vendor') ?? 'none'})`,
    `memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB (${(freemem() / 2 ** 30).toFixed(1)} GiB free at start)`,
    `Node ${process.version}`,
  ];
}

/** The 1-, 5- and 15-minute load averages, formatted. */
export function loadAverage(): string {
  return loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ');
}
