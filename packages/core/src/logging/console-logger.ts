import type { LoggerV1 } from '@rlgf/contracts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface ConsoleLoggerSettings {
  /** Lowest level written. Default `info`. */
  readonly level?: LogLevel;
  /** Where lines go. Default: stderr, so stdout carries only results. */
  readonly write?: (line: string) => void;
  /** Prefix of each line. Default `rlgf`. */
  readonly prefix?: string;
}

/** A logger that writes one line per message, `rlgf: warn: ...` style. */
export function createConsoleLogger(settings: ConsoleLoggerSettings = {}): LoggerV1 {
  const threshold = rank[settings.level ?? 'info'];
  const write = settings.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const prefix = settings.prefix ?? 'rlgf';
  const at = (level: Exclude<LogLevel, 'silent'>) => (message: string) => {
    if (rank[level] < threshold) return;
    write(level === 'info' ? `${prefix}: ${message}` : `${prefix}: ${level}: ${message}`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/** A logger that drops everything (for tests and library use without output). */
const ignore = (): void => undefined;
export const silentLogger: LoggerV1 = { debug: ignore, info: ignore, warn: ignore, error: ignore };
