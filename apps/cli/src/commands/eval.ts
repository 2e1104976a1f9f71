import { InvalidArgumentError } from '@rlgf/contracts';
import { deriveSeed } from '@rlgf/core';
import { parseRecipe } from '@rlgf/recipe';
import { createTaskParts, describeTimings, evaluatePolicy, generationLength, loadRecipeModel, runContext } from '@rlgf/trainer';
import { setBackend, setThreads } from '@rlgf/models';
import { Command, Option } from 'commander';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { action, backendOption, integerOption, printJson, threadsOption, type CommandFactory } from '../command-kit';
import { adapterDir, adapterOption, withAdapter } from '../composition/adapter';
import { pluginsToLoad } from '../composition/plugin-options';
import { recipeEnvironment } from '../composition/run-environment';

interface EvalOptions {
  readonly model: string;
  readonly adapter?: string;
  readonly task: string;
  readonly split: 'train' | 'validation' | 'test';
  readonly limit: number;
  readonly metrics?: string;
  readonly reward?: string;
  readonly set: string[];
  readonly seed: number;
  readonly backend?: string;
  readonly threads?: number;
  readonly predictions?: string;
  readonly bestOf: number;
  readonly plugin: string[];
  readonly config?: string;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export const evalCommand: CommandFactory = (io) =>
  new Command('eval')
    .description("evaluate a model on a task split with the task's reward and metrics (or the ones named)")
    .requiredOption('-m, --model <dir|hub id>', 'model folder or Hub id (llama2.c folders are converted on first use)')
    .addOption(adapterOption())
    .requiredOption('-t, --task <id>', 'task id (see `rlgf plugins`)')
    .addOption(new Option('-s, --split <split>', 'task split').choices(['train', 'validation', 'test']).default('test'))
    .option('-n, --limit <N>', 'prompts to evaluate', integerOption('--limit', { min: 1 }), 100)
    .option('--metrics <ids>', "comma-separated metric ids (default: the task's)")
    .option('--reward <ids>', "comma-separated reward ids (default: the task's)")
    .option('--set <path=value>', 'recipe-style override (repeatable): task.options.*, evaluation.decoding, rollout.maxNewTokens, …', collect, [])
    .option('--seed <N>', 'seed of sampling', integerOption('--seed'), 0)
    .option('--best-of <N>', 'sample N continuations per prompt and keep the one the reward ranks highest (Best-of-N)', integerOption('--best-of', { min: 1 }), 1)
    .option('--predictions <file.jsonl>', 'also write every prediction with its references (rlgf score input format)')
    .option('--plugin <module>', 'also load this plugin: an npm name or a path (repeatable)', collect, [])
    .option('-c, --config <recipe.yaml>', 'also load the plugins this recipe names')
    .addOption(backendOption())
    .addOption(threadsOption())
    .action(
      action<EvalOptions>(io, async ({ logger }, options) => {
        const ids = (list?: string) => list?.split(',').map((id) => id.trim()).filter(Boolean);
        const document: Record<string, unknown> = { name: 'eval', task: options.task, policy: { model: options.model }, seed: options.seed };
        if (options.backend) document.backend = options.backend;
        if (options.metrics) document.metrics = ids(options.metrics);
        if (options.reward) document.reward = ids(options.reward);
        document.plugins = await pluginsToLoad(io.cwd, options);
        const loaded = parseRecipe(document, { source: 'command line', baseDir: io.cwd, overrides: options.set });
        const recipe = loaded.recipe;
        const adapter = adapterDir(io.cwd, options.adapter);
        if (recipe.metrics?.length === 0) throw new InvalidArgumentError({ argument: '--metrics', value: options.metrics, expected: 'at least one metric id' });
        setThreads(options.threads ?? recipe.threads);
        await setBackend(recipe.backend);
        const environment = await recipeEnvironment(io, loaded, logger);
        const model = await withAdapter(await loadRecipeModel(recipe.policy.model, environment, recipe.seed, false), adapter);
        try {
          const parts = await createTaskParts(recipe, runContext(recipe, environment, model), model.tokenizer);
          const samples = await parts.loadSamples(options.split, options.limit);
          const result = await evaluatePolicy(
            {
              samples,
              promptIds: samples.map((s) => [...(s.promptIds ?? model.tokenizer.encode(s.prompt))]),
              decoding: recipe.evaluation.decoding ?? parts.task.generation.evalDecoding,
              ...generationLength(recipe, parts.task),
              batchSize: recipe.rollout.generationBatchSize,
              seedOf: (chunk) => deriveSeed(recipe.seed, 'eval-command', chunk),
              bestOf: options.bestOf,
            },
            { policy: model, tokenizer: model.tokenizer, rewards: parts.rewards, metrics: parts.metrics },
          );
          logger.debug(`time of the evaluation: ${describeTimings(result.timings)}`);
          if (options.predictions) {
            const lines = result.predictions.map((p) => JSON.stringify({ prompt: p.prompt, prediction: p.prediction, references: p.references, reward: p.reward }));
            await writeFile(resolve(io.cwd, options.predictions), `${lines.join('\n')}\n`);
          }
          printJson(io, { model: options.model, ...(options.adapter === undefined ? {} : { adapter: options.adapter }), task: parts.task.id, split: options.split, prompts: samples.length, bestOf: options.bestOf, scores: result.values });
          for (const { reward } of parts.rewards) await reward.close?.();
          for (const metric of parts.metrics) await metric.close?.();
        } finally {
          model.dispose();
        }
      }),
    );
