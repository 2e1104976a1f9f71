import { InvalidArgumentError } from '@rlgf/contracts';
import { loadRecipe, runDirectory } from '@rlgf/recipe';
import { prepareRlRun, runStages } from '@rlgf/trainer';
import { Command } from 'commander';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { action, integerOption, printJson, type CommandFactory } from '../command-kit';
import { recipeEnvironment } from '../composition/run-environment';
import { withGuideCache } from './guide-cache-flag';

interface TrainOptions {
  readonly config?: string;
  readonly resume?: string;
  readonly checkpoint?: number;
  readonly continue?: boolean;
  /** False with --no-guide-cache. */
  readonly guideCache: boolean;
  readonly set: string[];
}

const collect = (value: string, previous: string[]) => [...previous, value];

/**
 * First Ctrl-C or SIGTERM (what `timeout`, systemd and Kubernetes send): stop after the current
 * iteration with a checkpoint. A second signal: exit now.
 */
function stopOnInterrupt(onFirst: (signal: NodeJS.Signals) => void): () => void {
  let interrupts = 0;
  const handler = (signal: NodeJS.Signals) => {
    interrupts++;
    if (interrupts === 1) onFirst(signal);
    else process.exit(signal === 'SIGTERM' ? 143 : 130);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

export const trainCommand: CommandFactory = (io) =>
  new Command('train')
    .description('train a policy with PPO, PPO++, AggreVaTeD, LOLS or D2LOLS from a recipe; resumable')
    .option('-c, --config <recipe.yaml>', 'the recipe to run (see docs/recipes.md)')
    .option('-r, --resume <run dir>', 'continue the run in this directory from its newest checkpoint')
    .option('--checkpoint <iteration>', 'with --resume: continue from the checkpoint after this iteration instead (later ones are moved to checkpoints/set-aside/)', integerOption('--checkpoint'))
    .option('--continue', 'with --config: resume when the run directory has checkpoints, print its summary when it already finished, start otherwise')
    .option('--no-guide-cache', 'send every guide request, answering none from the guide\'s on-disk cache (chat-endpoint guide); not recorded in the run')
    .option('--set <path=value>', 'override a recipe field (repeatable), e.g. --set rollout.iterations=10', collect, [])
    .addHelpText(
      'after',
      '\nCtrl-C or SIGTERM once stops after the current iteration and writes a checkpoint; twice stops at once.\n' +
        'Each checkpoint lists its files with sizes and sha256 (MANIFEST.json); --resume checks them, and a damaged\n' +
        'newest checkpoint stops with the command that resumes from the newest intact one (--checkpoint N).',
    )
    .action(
      action<TrainOptions>(io, async ({ logger }, options) => {
        if ((options.config === undefined) === (options.resume === undefined)) {
          throw new InvalidArgumentError({ argument: 'train', expected: 'exactly one of --config <recipe.yaml> or --resume <run dir>' });
        }
        if (options.checkpoint !== undefined && options.resume === undefined) {
          throw new InvalidArgumentError({ argument: '--checkpoint', value: options.checkpoint, expected: 'to come with --resume <run dir>' });
        }
        const loaded = options.config
          ? await loadRecipe(options.config, { cwd: io.cwd, overrides: options.set })
          : await loadRecipe(join(options.resume as string, 'recipe.yaml'), { cwd: io.cwd, overrides: options.set });
        if (options.resume && options.set.length > 0) logger.warn('--set on a resumed run changes it: the result will differ from an uninterrupted run');
        const runDir = runDirectory(loaded.recipe, io.cwd);
        if (options.continue && existsSync(join(runDir, 'summary.json'))) {
          logger.info(`${runDir} already finished; its summary is ${join(runDir, 'summary.md')}`);
          io.stdout(readFileSync(join(runDir, 'summary.json'), 'utf8'));
          return;
        }
        const resume = options.resume !== undefined || (options.continue === true && existsSync(join(runDir, 'checkpoints')) && readdirSync(join(runDir, 'checkpoints')).some((name) => name.startsWith('iteration-')));
        const environment = await recipeEnvironment(io, loaded, logger);
        const staged = await runStages(withGuideCache(loaded, options.guideCache), environment);
        const run = await prepareRlRun(staged, environment, { resume, checkpoint: options.checkpoint });
        const controller = new AbortController();
        const release = stopOnInterrupt((signal) => {
          logger.warn(`${signal}: stopping after this iteration with a checkpoint (send it again to stop now)`);
          controller.abort();
        });
        try {
          const summary = await run.trainer.run({ abortSignal: controller.signal });
          printJson(io, summary);
        } finally {
          release();
          await run.close();
        }
      }),
    );
