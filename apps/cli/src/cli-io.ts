import { createConsoleLogger, createTerminalWriter, type LogLevel } from '@rlgf/core';
import type { LoggerV1 } from '@rlgf/contracts';

/**
 * What a command may touch of the outside world. `main` builds it from the process; tests pass
 * their own to capture output. Results go to `stdout`, everything else through `logger` (stderr).
 */
export interface CliIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** True when stderr is a terminal (progress bars instead of plain lines). */
  readonly isTty: boolean;
}

export function processIo(): CliIo {
  const isTty = Boolean(process.stderr.isTTY);
  const stderr = (text: string) => {
    process.stderr.write(text);
  };
  return {
    stdout: (text) => process.stdout.write(text),
    // Progress bars and log lines share stderr: on a terminal, log lines go above the bar.
    stderr: isTty ? createTerminalWriter(stderr) : stderr,
    env: process.env,
    cwd: process.cwd(),
    isTty,
  };
}

/** Global options every command accepts. */
export interface GlobalOptions {
  readonly verbose?: boolean;
  readonly logLevel?: LogLevel;
}

export function loggerFor(io: CliIo, options: GlobalOptions): LoggerV1 {
  return createConsoleLogger({
    level: options.logLevel ?? (options.verbose ? 'debug' : 'info'),
    write: (line) => io.stderr(`${line}\n`),
  });
}
