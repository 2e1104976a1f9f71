import 'reflect-metadata';
import { InvalidArgumentError, RecipeError, UnknownComponentError } from '@rlgf/contracts';
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
 * The exit code of a failure: 2 when what the user wrote is wrong, so nothing ran (a flag, a
 * recipe field, a component id, an option value: the fix is in the command or the recipe); 1 when
 * the work itself failed (a server, a file, a model, a non-finite reward).
 */
export function exitCodeOf(error: unknown): 1 | 2 {
  return InvalidArgumentError.isInstance(error) || RecipeError.isInstance(error) || UnknownComponentError.isInstance(error) ? 2 : 1;
}

/**
 * Runs the CLI and returns the exit code: 0 success, 2 usage or recipe error, 1 failure (see
 * `exitCodeOf`). Failures print one line on stderr (the stack only with --verbose).
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
    return exitCodeOf(error);
  }
}
