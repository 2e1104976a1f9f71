import { InvalidArgumentError } from '@rlgf/contracts';
import type { LoggerV1 } from '@rlgf/contracts';
import { Command, Option } from 'commander';
import { loggerFor, type CliIo, type GlobalOptions } from './cli-io';

/** What a command's action receives besides its own options. */
export interface ActionContext {
  readonly io: CliIo;
  readonly logger: LoggerV1;
  readonly global: GlobalOptions;
}

/** A command module: builds its commander `Command` for the given IO. */
export type CommandFactory = (io: CliIo) => Command;

/**
 * Wraps an action so that it receives the IO, a logger honouring the global flags and its parsed
 * options. Errors propagate to `main`, which prints one line and sets the exit code.
 */
export function action<TOptions, TArgs extends unknown[] = []>(
  io: CliIo,
  run: (context: ActionContext, options: TOptions, ...args: TArgs) => Promise<void>,
) {
  return async function (this: Command, ...raw: unknown[]) {
    const command = raw[raw.length - 1] as Command;
    const options = raw[raw.length - 2] as TOptions;
    const args = raw.slice(0, -2) as TArgs;
    const global = command.optsWithGlobals() as GlobalOptions;
    await run({ io, logger: loggerFor(io, global), global }, options, ...args);
  };
}

/** Parses a non-negative (or positive) integer option, naming the flag when it is not one. */
export function integerOption(flag: string, options: { min?: number } = {}) {
  const min = options.min ?? 0;
  return (value: string): number => {
    const parsed = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed) || parsed < min) {
      throw new InvalidArgumentError({ argument: flag, value, expected: `an integer >= ${min}` });
    }
    return parsed;
  };
}

/** Parses a finite number option. */
export function numberOption(flag: string, options: { min?: number; max?: number } = {}) {
  return (value: string): number => {
    const parsed = Number(value);
    const inRange = (options.min === undefined || parsed >= options.min) && (options.max === undefined || parsed <= options.max);
    if (value.trim() === '' || !Number.isFinite(parsed) || !inRange) {
      const range = [options.min !== undefined ? `>= ${options.min}` : '', options.max !== undefined ? `<= ${options.max}` : '']
        .filter(Boolean)
        .join(' and ');
      throw new InvalidArgumentError({ argument: flag, value, expected: `a number${range ? ` ${range}` : ''}` });
    }
    return parsed;
  };
}

/** `--backend`, shared by every command that runs a model. */
export function backendOption(): Option {
  return new Option('--backend <name>', 'TensorFlow.js backend').choices(['wasm', 'cpu', 'webgpu', 'tensorflow', 'tensorflow-gpu']);
}

/** `--threads`, shared by every command that runs a model (the wasm kernels' thread count). */
export function threadsOption(): Option {
  return new Option('--threads <n>', 'threads for the wasm kernels (default: the number of cores; results do not depend on it)').argParser(integerOption('--threads', { min: 1 }));
}

/** Prints a JSON result on stdout (pretty, one trailing newline). */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout(`${JSON.stringify(value, null, 2)}\n`);
}
