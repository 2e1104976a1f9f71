import { HUB_FILES } from '@rlgf/contracts';
import { createComponent, createComponentContext, tryResolve } from '@rlgf/core';
import { Command } from 'commander';
import { tmpdir } from 'node:os';
import { action, printJson, type CommandFactory } from '../command-kit';
import { composeRun } from '../composition/compose-run';
import { createHub } from '../composition/hub';
import { readScoreInput } from './score-input';

interface ScoreOptions {
  readonly input: string;
  readonly metrics: string;
  readonly perItem?: boolean;
}

export const scoreCommand: CommandFactory = (io) =>
  new Command('score')
    .description('score predictions against references with any registered metrics; prints JSON on stdout')
    .requiredOption('-i, --input <file.jsonl>', 'one JSON object per line: {"prediction": "…", "references": ["…"], "concepts"?: ["…"]}')
    .requiredOption('-m, --metrics <ids>', 'comma-separated metric ids, e.g. bleu,coco-bleu,rouge,meteor,cider-d (see `rlgf plugins`)')
    .option('--per-item', 'also print the scores of every line, in input order')
    .action(
      action<ScoreOptions>(io, async ({ logger }, options) => {
        const items = await readScoreInput(options.input);
        const container = await composeRun({ baseDir: io.cwd, logger });
        const hub = tryResolve(container, HUB_FILES) ?? createHub({ env: io.env, cwd: io.cwd, logger });
        const context = createComponentContext({ container, hub, logger, seed: 0, cacheDir: tmpdir(), workingDirectory: io.cwd });
        const ids = options.metrics.split(',').map((id) => id.trim()).filter(Boolean);
        const scores: Record<string, number> = {};
        const perItem: Record<string, number>[] = items.map(() => ({}));
        const references: Record<string, string> = {};
        for (const id of ids) {
          const metric = await createComponent(context, 'metric', { id });
          try {
            const result = await metric.doCompute({ items, perItem: options.perItem });
            Object.assign(scores, result.corpus);
            references[id] = metric.reference;
            for (const warning of result.warnings) logger.warn(`${id}: ${warning.message}`);
            for (const [name, values] of Object.entries(result.perItem ?? {})) values.forEach((value, i) => (perItem[i][name] = value));
          } finally {
            await metric.close?.();
          }
        }
        printJson(io, { items: items.length, scores, references, ...(options.perItem ? { perItem } : {}) });
      }),
    );
