import { InvalidArgumentError } from '@rlgf/contracts';
import type { DecodingV1 } from '@rlgf/contracts';
import { chatPromptIds, loadLanguageModel, setThreads, type BackendName } from '@rlgf/models';
import { Command, Option } from 'commander';
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { action, backendOption, integerOption, numberOption, printJson, threadsOption, type CommandFactory } from '../command-kit';
import { adapterDir, adapterOption, withAdapter } from '../composition/adapter';
import { createHub } from '../composition/hub';

interface GenerateOptions {
  readonly model: string;
  readonly adapter?: string;
  readonly prompt?: string;
  readonly promptIds?: number[];
  readonly chat?: string;
  readonly maxNewTokens: number;
  readonly greedy?: boolean;
  readonly temperature?: number;
  readonly topK?: number;
  readonly topP?: number;
  readonly seed?: number;
  readonly format: 'text' | 'json';
  readonly backend?: BackendName;
  readonly threads?: number;
}

function parseIds(value: string): number[] {
  const parts = value.split(',').map((part) => part.trim());
  if (parts.length === 0 || !parts.every((part) => /^\d+$/.test(part))) {
    throw new InvalidArgumentError({ argument: '--prompt-ids', value, expected: 'comma-separated token ids, e.g. 1,403,407' });
  }
  return parts.map(Number);
}

/** Greedy unless a sampling option is given; `--greedy` together with one is a contradiction. */
function decodingFrom(options: GenerateOptions): DecodingV1 {
  const sampling = options.temperature !== undefined || options.topK !== undefined || options.topP !== undefined;
  if (options.greedy && sampling) {
    throw new InvalidArgumentError({ argument: '--greedy', value: true, expected: 'no --temperature, --top-k or --top-p with it', hint: 'drop --greedy to sample' });
  }
  if (!sampling) return { strategy: 'greedy' };
  return { strategy: 'sample', temperature: options.temperature, topK: options.topK, topP: options.topP };
}

export const generateCommand: CommandFactory = (io) =>
  new Command('generate')
    .description('generate a continuation of a prompt with a local or Hub model')
    .requiredOption('--model <dir|hub id>', 'checkpoint folder or Hub model id (owner/name)')
    .addOption(adapterOption())
    .option('--prompt <text>', 'prompt text (tokenized with the model tokenizer, BOS added when it wants one)')
    .option('--prompt-ids <ids>', 'prompt as comma-separated token ids', parseIds)
    .option('--chat <message>', "a user message, presented through the model's chat template with the assistant's turn opened")
    .option('--max-new-tokens <n>', 'tokens to generate at most', integerOption('--max-new-tokens', { min: 1 }), 64)
    .option('--greedy', 'always pick the most likely token (the default without sampling options)')
    .option('--temperature <t>', 'sample with this softmax temperature', numberOption('--temperature', { min: Number.MIN_VALUE }))
    .option('--top-k <k>', 'sample among the k most likely tokens (0: all)', integerOption('--top-k'))
    .option('--top-p <p>', 'sample from the nucleus of probability p', numberOption('--top-p', { min: Number.MIN_VALUE, max: 1 }))
    .option('--seed <s>', 'seed of the sampling stream', integerOption('--seed'), 0)
    .addOption(new Option('--format <format>', 'text: prompt and continuation; json: ids and text').choices(['text', 'json']).default('text'))
    .addOption(backendOption().default('wasm'))
    .addOption(threadsOption())
    .action(
      action<GenerateOptions>(io, async ({ logger }, options) => {
        if ([options.prompt, options.promptIds, options.chat].filter((given) => given !== undefined).length !== 1) {
          throw new InvalidArgumentError({ argument: '--prompt', expected: 'exactly one of --prompt, --prompt-ids and --chat' });
        }
        const local = resolve(io.cwd, options.model);
        const source = existsSync(local) ? local : options.model;
        const adapter = adapterDir(io.cwd, options.adapter);
        setThreads(options.threads);
        const model = await withAdapter(await loadLanguageModel(source, { hub: createHub({ env: io.env, cwd: io.cwd, logger }), backend: options.backend, trainable: false }), adapter);
        try {
          const promptIds =
            options.chat === undefined
              ? (options.promptIds ?? model.tokenizer.encode(options.prompt ?? ''))
              : chatPromptIds(model, [{ role: 'user', content: options.chat }]);
          const result = await model.generate({ promptIds: [promptIds], maxNewTokens: options.maxNewTokens, decoding: decodingFrom(options), seed: options.seed });
          const ids = result.ids[0].filter((_, step) => result.mask[0][step] === 1);
          if (options.format === 'json') {
            printJson(io, { prompt_ids: promptIds, ids, text: model.tokenizer.decode(ids) });
          } else {
            io.stdout(`${model.tokenizer.decode([...promptIds, ...ids])}\n`);
          }
        } finally {
          model.dispose();
        }
      }),
    );
