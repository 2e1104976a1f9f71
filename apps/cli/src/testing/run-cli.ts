import { main } from '../main';
import type { CliIo } from '../cli-io';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process with captured output (tests only). */
export async function runCli(argv: readonly string[], io: Partial<CliIo> = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    env: { ...process.env },
    cwd: process.cwd(),
    isTty: false,
    ...io,
  });
  return { code, stdout, stderr };
}
