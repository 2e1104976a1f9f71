import { join } from 'node:path';
import { run, runJson } from './processes';

export const python = '/usr/bin/python3';

/**
 * Makes sure Debian's PyTorch is importable by /usr/bin/python3, installing `python3-torch` with
 * apt-get when it is not (and saying so). Returns the torch version.
 */
export async function ensureTorch(log: (line: string) => void): Promise<string> {
  const probe = () => run(python, ['-c', 'import torch; print(torch.__version__)']);
  let found = await probe();
  if (found.code !== 0) {
    log('PyTorch is missing for /usr/bin/python3: installing Debian\'s python3-torch (apt-get install -y python3-torch)');
    let install = await run('apt-get', ['install', '-y', 'python3-torch'], { echo: true });
    if (install.code !== 0) {
      await run('apt-get', ['update'], { echo: true });
      install = await run('apt-get', ['install', '-y', 'python3-torch'], { echo: true });
    }
    if (install.code !== 0) throw new Error('apt-get install -y python3-torch failed; install it by hand (as root) and run the benchmark again');
    found = await probe();
  }
  if (found.code !== 0) throw new Error(`PyTorch does not import: ${found.stderr}`);
  return found.stdout.trim();
}

/** The BLAS library PyTorch multiplies with: Debian's build calls whatever `libblas.so.3` points to. */
async function torchBlas(): Promise<string> {
  const probe = await run(python, [
    '-c',
    "import torch; torch.ones(64, 64) @ torch.ones(64, 64); print(next((l.split()[-1] for l in open('/proc/self/maps') if 'blas' in l.split()[-1]), 'none found'))",
  ]);
  return probe.code === 0 ? probe.stdout.trim() : 'unknown';
}

/**
 * Makes sure PyTorch multiplies with an optimized BLAS. Debian's python3-torch is built with
 * BLAS_INFO=generic and uses the system `libblas.so.3`, by default the netlib reference
 * implementation, which makes PyTorch several times slower than it is with OpenBLAS: a baseline
 * no PyTorch user would run. Installs `libopenblas0-pthread` then (and says so) unless told to
 * keep the BLAS as it is. Returns the library in use.
 */
export async function ensureOptimizedBlas(log: (line: string) => void, keepAsIs: boolean): Promise<string> {
  const blas = await torchBlas();
  if (keepAsIs || !/\/blas\/libblas\.so/.test(blas)) return blas;
  log(`PyTorch multiplies with the reference BLAS (${blas}): installing OpenBLAS (apt-get install -y libopenblas0-pthread); --torch-blas as-is keeps it`);
  const install = await run('apt-get', ['install', '-y', 'libopenblas0-pthread'], { echo: true });
  if (install.code !== 0) throw new Error('apt-get install -y libopenblas0-pthread failed; install it by hand (as root), or pass --torch-blas as-is');
  return torchBlas();
}

/** Runs one measurement of reference/torch_bench.py and returns its JSON. */
export function torchMeasure<T>(benchDir: string, hubMirror: string, threads: number, args: readonly string[]): Promise<T> {
  // OpenBLAS keeps a thread pool of its own: it gets the same count as PyTorch's OpenMP.
  const threadEnv = { OMP_NUM_THREADS: String(threads), OPENBLAS_NUM_THREADS: String(threads) };
  return runJson<T>(python, [join(benchDir, 'reference/torch_bench.py'), '--hub', hubMirror, '--threads', String(threads), ...args], {
    cwd: join(benchDir, 'reference'),
    env: { ...process.env, ...threadEnv },
  });
}
