import { InvalidArgumentError } from '@rlgf/contracts';
import { loadRecipe, loadResumedRecipe, resumeSafeFields, runDirectory, type RecipeChange, type LoadedRecipe } from '@rlgf/recipe';
import { setThreads } from '@rlgf/models';
import { prepareRlRun, resolveAlgorithm, runAlgorithms, runStages, startRunDirectory } from '@rlgf/trainer';
import { Command } from 'commander';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { action, integerOption, printJson, threadsOption, type CommandFactory } from '../command-kit';
import { recipeEnvironment } from '../composition/run-environment';
import { withGuideCache } from './guide-cache-flag';
import { handleInterrupts } from './interrupts';

interface TrainOptions {
  readonly config?: string;
  readonly resume?: string;
  readonly checkpoint?: number;
  readonly continue?: boolean;
  /** False with --no-guide-cache. */
  readonly guideCache: boolean;
  readonly force?: boolean;
  readonly set: string[];
  readonly threads?: number;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** The recipe, the run directory and what `--set` changed: from the recipe file, or the run's own recipe.yaml on `--resume`. */
async function openRecipe(options: TrainOptions, cwd: string): Promise<{ loaded: LoadedRecipe; runDir: string; changes: readonly RecipeChange[] }> {
  if (options.resume !== undefined) return loadResumedRecipe(options.resume, { cwd, overrides: options.set, force: options.force === true });
  const loaded = await loadRecipe(options.config as string, { cwd, overrides: options.set });
  return { loaded, runDir: runDirectory(loaded.recipe, cwd), changes: [] };
}

export const trainCommand: CommandFactory = (io) =>
  new Command('train')
    .description('train a policy with PPO, PPO++, AggreVaTeD, LOLS or D2LOLS from a recipe; resumable')
    .option('-c, --config <recipe.yaml>', 'the recipe to run (see docs/recipes.md)')
    .option('-r, --resume <run dir>', 'continue the run in this folder (moved or copied ones too) from its newest checkpoint, or its stages')
    .option('--checkpoint <iteration>', 'with --resume: continue from the checkpoint after this iteration instead (later ones are moved to checkpoints/set-aside/)', integerOption('--checkpoint'))
    .option('--continue', 'with --config: resume when the run directory has checkpoints, print its summary when it already finished, start otherwise')
    .option('--no-guide-cache', 'send every guide request, answering none from the guide\'s on-disk cache (chat-endpoint guide); not recorded in the run')
    .option('--set <path=value>', 'override a recipe field (repeatable), e.g. --set rollout.iterations=10; with --resume only fields that leave the computation alone', collect, [])
    .option('--force', 'with --resume: let --set change the computation (recorded in recipe.yaml, recipe-changes.jsonl and summary.md)')
    .addOption(threadsOption())
    .addHelpText(
      'after',
      '\nCtrl-C or SIGTERM once stops after the current iteration and writes a checkpoint; twice stops at once.\n' +
        'In a stage (recipe `stages:`) it stops at once and says what is kept: --resume continues the stage or runs it again.\n' +
        'Each checkpoint lists its files with sizes and sha256 (MANIFEST.json); --resume checks them, and a damaged\n' +
        'newest checkpoint stops with the command that resumes from the newest intact one (--checkpoint N).\n' +
        'metrics.jsonl and evaluations.jsonl hold one row per iteration: a start or resume keeps the rows its\n' +
        'checkpoint covers and moves the others to checkpoints/set-aside/journal-<time>/.\n' +
        `--set on --resume may change ${Object.keys(resumeSafeFields).join(', ')}; other fields need --force.`,
    )
    .action(
      action<TrainOptions>(io, async ({ logger }, options) => {
        if ((options.config === undefined) === (options.resume === undefined)) {
          throw new InvalidArgumentError({ argument: 'train', expected: 'exactly one of --config <recipe.yaml> or --resume <run dir>' });
        }
        if (options.checkpoint !== undefined && options.resume === undefined) {
          throw new InvalidArgumentError({ argument: '--checkpoint', value: options.checkpoint, expected: 'to come with --resume <run dir>' });
        }
        if (options.force && options.resume === undefined) {
          throw new InvalidArgumentError({ argument: '--force', expected: 'to come with --resume <run dir> (a new run takes any --set)' });
        }
        const { loaded, runDir, changes } = await openRecipe(options, io.cwd);
        // Not recorded in the run: results are bit-identical for any thread count.
        setThreads(options.threads ?? loaded.recipe.threads);
        if (options.continue && existsSync(join(runDir, 'summary.json'))) {
          logger.info(`${runDir} already finished; its summary is ${join(runDir, 'summary.md')}`);
          io.stdout(readFileSync(join(runDir, 'summary.json'), 'utf8'));
          return;
        }
        const resume = options.resume !== undefined || (options.continue === true && existsSync(join(runDir, 'checkpoints')) && readdirSync(join(runDir, 'checkpoints')).some((name) => name.startsWith('iteration-')));
        // Plugins first, so the algorithm (theirs or built in) is checked before anything is written or staged.
        const environment = await recipeEnvironment(io, loaded, logger);
        resolveAlgorithm(loaded.recipe, runAlgorithms(environment.container), loaded.source);
        // Before the stages, so that a run stopped anywhere resumes from its recipe.yaml.
        if (!resume) await startRunDirectory(runDir, loaded, 'train');
        const controller = new AbortController();
        const interrupts = handleInterrupts({
          logger,
          continueCommand: `rlgf train --resume ${runDir}`,
          outsideStages: (signal) => {
            logger.warn(`${signal}: stopping after this iteration with a checkpoint (send it again to stop now)`);
            controller.abort();
          },
        });
        try {
          const staged = await runStages(withGuideCache(loaded, options.guideCache), environment, { runDir, onStage: interrupts.onStage });
          const run = await prepareRlRun(staged, environment, { runDir, resume, checkpoint: options.checkpoint, changes });
          try {
            printJson(io, await run.trainer.run({ abortSignal: controller.signal }));
          } finally {
            await run.close();
          }
        } finally {
          interrupts.release();
        }
      }),
    );
