import { isLocalDataPath, openHubDataset, openLocalDataset } from '@rlgf/datasets';
import { Command, Option } from 'commander';
import { action, integerOption, printJson, type CommandFactory } from '../command-kit';
import { createHub } from '../composition/hub';

interface ShowOptions {
  readonly split: string;
  readonly limit: number;
  readonly config?: string;
  readonly revision: string;
  readonly columns?: string;
  readonly format: 'text' | 'json';
  readonly maxChars: number;
}

function shorten(value: unknown, maxChars: number): unknown {
  if (typeof value === 'string' && value.length > maxChars) return `${value.slice(0, maxChars)}… (${value.length} chars)`;
  if (Array.isArray(value)) return value.map((item) => shorten(item, maxChars));
  return value;
}

const showCommand: CommandFactory = (io) =>
  new Command('show')
    .description('row count, columns and first rows of a Hub dataset split (parquet) or a local .jsonl, .csv or .parquet file')
    .argument('<repo>', 'dataset repository, owner/name (e.g. stanfordnlp/imdb), or a local data file (./prompts.jsonl; its split is "train")')
    .option('-s, --split <spec>', "split spec as in the datasets library: 'train', 'test[:3]', 'train[80%:]', 'train[:10]+test[:10]'", 'train')
    .option('-n, --limit <N>', 'rows to print', integerOption('--limit'), 5)
    .option('--config <name>', 'dataset config, when the repository has several (e.g. plain_text)')
    .option('--revision <rev>', 'branch, tag or commit', 'main')
    .option('--columns <a,b>', 'only these columns, comma-separated')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--max-chars <N>', 'text format: cut string values after N characters', integerOption('--max-chars', { min: 1 }), 200)
    .action(
      action<ShowOptions, [string]>(io, async ({ logger }, options, repo) => {
        const hub = createHub({ env: io.env, cwd: io.cwd, logger });
        const dataset = isLocalDataPath(repo)
          ? openLocalDataset(repo, { baseDir: io.cwd })
          : await openHubDataset(hub, { repo, config: options.config, revision: options.revision });
        const columns = options.columns?.split(',').map((c) => c.trim()).filter(Boolean);
        const preview = await dataset.preview(options.split, { limit: options.limit, columns });
        if (options.format === 'json') {
          printJson(io, preview);
          return;
        }
        const lines = [
          isLocalDataPath(repo) ? `file     ${preview.repo}` : `dataset  ${preview.repo} (config ${preview.config}, revision ${options.revision})`,
          `split    ${preview.splitSpec}: ${preview.numRows} rows`,
          `columns  ${preview.columns.map((c) => `${c.name} (${c.type})`).join(', ')}`,
          '',
          ...preview.rows.map((row) => JSON.stringify(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, shorten(v, options.maxChars)])))),
        ];
        io.stdout(`${lines.join('\n')}\n`);
      }),
    );

export const datasetsCommand: CommandFactory = (io) =>
  new Command('datasets').description('inspect Hugging Face Hub datasets (parquet), from the Hub, its cache or a mirror').addCommand(showCommand(io));
