import 'reflect-metadata';
import { InvalidArgumentError } from '@rlgf/contracts';
import { formatError } from '@rlgf/core';
import { Command, CommanderError, Option } from 'commander';
import { processIo, type CliIo } from './cli-io';
import { commands } from './commands';

export function buildProgram(io: CliIo): Command {
  const program = new Command('rlgf')
    .description('Fine-tune language models with reinforcement learning guided by another model (PPO, PPO++, AggreVaTeD, LOLS, D2LOLS).')
    .option('-v, --verbose', 'debug logs, and stack traces on errors')
    .addOption(new Option('--log-level <level>', 'lowest log level on stderr').choices(['debug', 'info', 'warn', 'error', 'silent']))
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: (text, write) => write(text) })
    .exitOverride();
  for (const create of commands) {
    program.addCommand(create(io).configureOutput({ writeOut: io.stdout, writeErr: io.stderr }).exitOverride().showHelpAfterError('(run with --help for usage)'));
  }
  return program;
}

/**
 * Runs the CLI and returns the exit code: 0 success, 1 failure, 2 usage error. Failures print one
 * line on stderr (the stack only with --verbose).
 */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const program = buildProgram(io);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed the usage problem (or help/version, which exit with 0).
      return error.exitCode === 0 ? 0 : 2;
    }
    const verbose = argv.includes('--verbose') || argv.includes('-v');
    io.stderr(`rlgf: error: ${formatError(error, { verbose })}\n`);
    return InvalidArgumentError.isInstance(error) ? 2 : 1;
  }
}
