import { InvalidArgumentError } from '@rlgf/contracts';
import { loadRecipe, loadResumedRecipe, runDirectory } from '@rlgf/recipe';
import { runSft, runStages, startRunDirectory } from '@rlgf/trainer';
import { Command } from 'commander';
import { action, printJson, type CommandFactory } from '../command-kit';
import { recipeEnvironment } from '../composition/run-environment';
import { handleInterrupts, stopNow } from './interrupts';

interface SftOptions {
  readonly config?: string;
  readonly resume?: string;
  readonly force?: boolean;
  readonly set: string[];
}

const collect = (value: string, previous: string[]) => [...previous, value];

export const sftCommand: CommandFactory = (io) =>
  new Command('sft')
    .description("supervised fine-tuning on the task's references (the recipe's `sft` section); writes <run dir>/model")
    .option('-c, --config <recipe.yaml>', 'the recipe (task, policy.model, sft settings)')
    .option('-r, --resume <run dir>', 'continue an SFT run (in this folder, moved or copied ones too) from its newest epoch checkpoint')
    .option('--set <path=value>', 'override a recipe field (repeatable), e.g. --set sft.epochs=2; with --resume only fields that leave the computation alone', collect, [])
    .option('--force', 'with --resume: let --set change the computation (recorded in recipe.yaml and recipe-changes.jsonl)')
    .addHelpText('after', '\nCtrl-C or SIGTERM stops at once and says what is kept: the epoch checkpoints so far, and finished stages.')
    .action(
      action<SftOptions>(io, async ({ logger }, options) => {
        if ((options.config === undefined) === (options.resume === undefined)) {
          throw new InvalidArgumentError({ argument: 'sft', expected: 'exactly one of --config <recipe.yaml> or --resume <run dir>' });
        }
        if (options.force && options.resume === undefined) {
          throw new InvalidArgumentError({ argument: '--force', expected: 'to come with --resume <run dir> (a new run takes any --set)' });
        }
        const opened = options.resume
          ? await loadResumedRecipe(options.resume, { cwd: io.cwd, overrides: options.set, force: options.force === true })
          : await loadRecipe(options.config as string, { cwd: io.cwd, overrides: options.set }).then((loaded) => ({ loaded, runDir: runDirectory(loaded.recipe, io.cwd), changes: [] }));
        const { loaded, runDir } = opened;
        if (options.resume === undefined) await startRunDirectory(runDir, loaded, 'sft');
        const continueCommand = `rlgf sft --resume ${runDir}`;
        // SFT has no iteration to finish first: its epoch checkpoints are whole or absent.
        const interrupts = handleInterrupts({ logger, continueCommand, outsideStages: stopNow(logger, 'the epoch checkpoints written so far are kept', continueCommand) });
        try {
          const environment = await recipeEnvironment(io, loaded, logger);
          const staged = await runStages(loaded, environment, { runDir, onStage: interrupts.onStage });
          printJson(io, await runSft(staged, environment, { runDir, resume: options.resume !== undefined, changes: opened.changes }));
        } finally {
          interrupts.release();
        }
      }),
    );
