import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { threadsPerJob } from './job-limit';

/** The commands that run a model on the wasm kernels and take `--threads`. */
const threadedCommands = new Set(['train', 'eval', 'generate']);

/** Experiments run from the repository root (`npx nx run tool-experiments:<name>` does so). */
export function repositoryRoot(): string {
  const root = process.cwd();
  if (!existsSync(join(root, 'apps/cli/bin/rlgf.js'))) {
    throw new Error(`run experiments from the repository root (no apps/cli/bin/rlgf.js under ${root})`);
  }
  return root;
}

/**
 * Runs `rlgf <args>` as a separate process from the repository root, the way a user would,
 * streaming its log lines with a prefix. Resolves with stdout; rejects with stderr's last line.
 * Commands that run a model get `--threads`: their share of the cores (see {@link threadsPerJob}).
 */
export function runRlgf(args: readonly string[], options: { label: string; env?: NodeJS.ProcessEnv } = { label: 'rlgf' }): Promise<string> {
  const root = repositoryRoot();
  return new Promise((resolveRun, rejectRun) => {
    const threads = threadedCommands.has(args[0]) && !args.includes('--threads') ? ['--threads', String(threadsPerJob())] : [];
    const child = spawn(process.execPath, [join(root, 'apps/cli/bin/rlgf.js'), ...args, ...threads], {
      cwd: root,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let lastError = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        lastError = line;
        process.stderr.write(`[${options.label}] ${line}\n`);
      }
    });
    child.on('exit', (code) => (code === 0 ? resolveRun(stdout) : rejectRun(new Error(`rlgf ${args.join(' ')} failed (${code}): ${lastError}`))));
  });
}
