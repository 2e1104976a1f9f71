import { loadRecipe } from '@rlgf/recipe';
import { runSft, runStages } from '@rlgf/trainer';
import { Command } from 'commander';
import { join } from 'node:path';
import { InvalidArgumentError } from '@rlgf/contracts';
import { action, printJson, type CommandFactory } from '../command-kit';
import { recipeEnvironment } from '../composition/run-environment';

interface SftOptions {
  readonly config?: string;
  readonly resume?: string;
  readonly set: string[];
}

const collect = (value: string, previous: string[]) => [...previous, value];

export const sftCommand: CommandFactory = (io) =>
  new Command('sft')
    .description("supervised fine-tuning on the task's references (the recipe's `sft` section); writes <run dir>/model")
    .option('-c, --config <recipe.yaml>', 'the recipe (task, policy.model, sft settings)')
    .option('-r, --resume <run dir>', 'continue an SFT run from its newest epoch checkpoint')
    .option('--set <path=value>', 'override a recipe field (repeatable), e.g. --set sft.epochs=2', collect, [])
    .action(
      action<SftOptions>(io, async ({ logger }, options) => {
        if ((options.config === undefined) === (options.resume === undefined)) {
          throw new InvalidArgumentError({ argument: 'sft', expected: 'exactly one of --config <recipe.yaml> or --resume <run dir>' });
        }
        const path = options.config ?? join(options.resume as string, 'recipe.yaml');
        const loaded = await loadRecipe(path, { cwd: io.cwd, overrides: options.set });
        const environment = await recipeEnvironment(io, loaded, logger);
        const result = await runSft(await runStages(loaded, environment), environment, { resume: options.resume !== undefined });
        printJson(io, result);
      }),
    );
