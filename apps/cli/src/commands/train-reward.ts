import { InvalidArgumentError } from '@rlgf/contracts';
import { createComponentContext, createProgress, listFactories, type Progress } from '@rlgf/core';
import { setBackend, type BackendName } from '@rlgf/models';
import { Command } from 'commander';
import { resolve } from 'node:path';
import type { CliIo } from '../cli-io';
import { action, backendOption, integerOption, printJson, type CommandFactory } from '../command-kit';
import { composeRun } from '../composition/compose-run';
import { createHub } from '../composition/hub';
import { loadRecipeFile } from '../composition/recipe-file';
import { cacheDirectory } from '../composition/run-environment';

interface TrainRewardOptions {
  readonly task: string;
  readonly out?: string;
  readonly seed: number;
  readonly set: string[];
  readonly config?: string;
  readonly backend: BackendName;
}

const collect = (value: string, previous: string[]) => [...previous, value];

/** `key=value` pairs as trainer settings; values are JSON when they parse (numbers, booleans). */
export function parseSettings(pairs: readonly string[]): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const pair of pairs) {
    const equals = pair.indexOf('=');
    if (equals <= 0) throw new InvalidArgumentError({ argument: '--set', value: pair, expected: 'key=value, e.g. --set epochs=3' });
    const raw = pair.slice(equals + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // Not JSON: the text itself.
    }
    settings[pair.slice(0, equals)] = value;
  }
  return settings;
}

/**
 * Progress of the trainer's phases on stderr, one display per phase: a bar redrawn at each
 * percent on a terminal, a line per tenth otherwise.
 */
function phaseProgress(io: CliIo): { report: (phase: string, done: number, total: number, values?: Readonly<Record<string, number>>) => void; finish: () => void } {
  let current: { phase: string; progress: Progress; shown: number } | undefined;
  const step = io.isTty ? 1 : 10;
  return {
    report(phase, done, total, values) {
      if (current?.phase !== phase) {
        current?.progress.finish();
        current = { phase, progress: createProgress({ label: phase, total, isTty: io.isTty, write: io.stderr }), shown: -1 };
      }
      const reached = total > 0 ? Math.floor((100 * done) / total / step) : 0;
      if (reached === current.shown && done !== total) return;
      current.shown = reached;
      current.progress.update(done, values);
    },
    finish: () => current?.progress.finish(),
  };
}

export const trainRewardCommand: CommandFactory = (io) =>
  new Command('train-reward')
    .description("train a task's reward model (e.g. the IMDB sentiment classifier); prints metrics and the checkpoint as JSON on stdout")
    .requiredOption('--task <id>', 'the task whose reward to train, e.g. imdb (`rlgf plugins` lists the reward-trainer components)')
    .option('--out <dir>', 'checkpoint directory to write (default runs/rewards/<trainer id>)')
    .option('--seed <n>', 'seed of data sampling and training order', integerOption('--seed'), 0)
    .option('--set <key=value>', 'a trainer setting (repeatable), e.g. --set epochs=3; see `rlgf plugins --options`', collect, [])
    .option('-c, --config <recipe.yaml>', 'also load the plugins this recipe names, and use its hub settings')
    .addOption(backendOption().default('wasm'))
    .action(
      action<TrainRewardOptions>(io, async ({ logger }, options) => {
        const settings = parseSettings(options.set);
        const recipe = options.config ? await loadRecipeFile(options.config, { cwd: io.cwd }) : undefined;
        const container = await composeRun({ plugins: recipe?.recipe.plugins, baseDir: recipe?.baseDir ?? io.cwd, logger });
        const hub = createHub({ env: io.env, cwd: io.cwd, logger, recipeHub: recipe?.recipe.hub });
        const context = createComponentContext({ container, hub, logger, seed: options.seed, cacheDir: cacheDirectory(io) });
        // A trainer names its task only once created; creating one is cheap (training is doTrain).
        const trainers = await Promise.all(listFactories(container, 'reward-trainer').map((factory) => factory.create({}, context)));
        const trainer = trainers.find((candidate) => candidate.task === options.task);
        if (!trainer) {
          const tasks = [...new Set(trainers.map((candidate) => candidate.task))].sort();
          throw new InvalidArgumentError({ argument: '--task', value: options.task, expected: `a task with a reward trainer: ${tasks.join(', ') || '(none registered)'}` });
        }
        await setBackend(options.backend);
        const outDir = resolve(io.cwd, options.out ?? `runs/rewards/${trainer.id}`);
        logger.info(`train-reward: ${trainer.id} for task ${trainer.task} on ${options.backend}, writing ${outDir}`);
        const progress = phaseProgress(io);
        const started = Date.now();
        try {
          const result = await trainer.doTrain({ outDir, settings, seed: options.seed, hub, logger, onProgress: progress.report });
          printJson(io, { task: trainer.task, trainer: trainer.id, ...result, seconds: Math.round((Date.now() - started) / 100) / 10 });
        } finally {
          progress.finish();
        }
      }),
    );
