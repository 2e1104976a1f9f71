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

/** Runs one measurement of reference/torch_bench.py and returns its JSON. */
export function torchMeasure<T>(benchDir: string, hubMirror: string, threads: number, args: readonly string[]): Promise<T> {
  return runJson<T>(python, [join(benchDir, 'reference/torch_bench.py'), '--hub', hubMirror, '--threads', String(threads), ...args], {
    cwd: join(benchDir, 'reference'),
  });
}
