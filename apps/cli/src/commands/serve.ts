import { InvalidArgumentError, type LoggerV1 } from '@rlgf/contracts';
import { loadLanguageModel, resolveModelReference, setBackend, setThreads, type BackendName } from '@rlgf/models';
import { isRewardModelSource } from '@rlgf/reward-model';
import { asServableModel, servedChatTemplate, startModelServer, type ModelServer, type ServedChatTemplate } from '@rlgf/serving';
import { Command } from 'commander';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { action, backendOption, integerOption, threadsOption, type CommandFactory } from '../command-kit';
import { adapterDir, adapterOption, withAdapter } from '../composition/adapter';
import { createHub } from '../composition/hub';
import { cacheDirectory } from '../composition/run-environment';
import { serveRewardModel } from './serve-reward-model';

interface ServeOptions {
  readonly model: string;
  readonly adapter?: string;
  readonly host: string;
  readonly port: number;
  readonly token?: string;
  readonly backend: BackendName;
  readonly threads?: number;
  readonly maxBatch: number;
  readonly maxNewTokens: number;
  readonly maxConcurrency: number;
  readonly batchWindowMs: number;
  readonly maxPromptChars?: number;
  readonly chatTemplate?: string;
}

/** The text of `--chat-template <file>`, or a one-line error saying why it cannot be read. */
async function readChatTemplate(cwd: string, file: string): Promise<{ readonly text: string; readonly file: string }> {
  const path = resolve(cwd, file);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'it cannot be read (permissions)' : (error as Error).message;
    throw new InvalidArgumentError({ argument: '--chat-template', value: file, expected: `a readable file holding a Jinja chat template (${why})` });
  }
  const text = bytes.toString('utf8');
  if (bytes.includes(0) || text.includes('\uFFFD')) {
    throw new InvalidArgumentError({ argument: '--chat-template', value: file, expected: 'a text file holding a Jinja chat template (this one is binary or not UTF-8)' });
  }
  return { text, file };
}

function describeTemplate(chat: ServedChatTemplate | undefined): string {
  if (chat === undefined) return 'no chat template (POST /v1/chat/completions answers 422; --chat-template <file> gives one)';
  return `chat template from ${chat.source === 'tokenizer_config.json' ? 'tokenizer_config.json' : chat.source.file}`;
}

const loopback = new Set(['127.0.0.1', 'localhost', '::1']);

/** Resolves on the first SIGINT or SIGTERM; a second one exits at once. */
function untilStopped(logger: LoggerV1): { readonly stopped: Promise<NodeJS.Signals>; readonly release: () => void } {
  let signals = 0;
  let stop: (signal: NodeJS.Signals) => void = () => undefined;
  const stopped = new Promise<NodeJS.Signals>((resolve) => (stop = resolve));
  const handler = (signal: NodeJS.Signals) => {
    signals++;
    if (signals > 1) process.exit(signal === 'SIGINT' ? 130 : 143);
    logger.info(`${signal}: shutting down (finishing the running batch; ${signal} again to stop now)`);
    stop(signal);
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    stopped,
    release: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

function describeStart(server: ModelServer, options: ServeOptions, token: string | undefined, chat: ServedChatTemplate | undefined, logger: LoggerV1): void {
  logger.info(
    `serving ${options.model}${options.adapter === undefined ? '' : ` with adapter ${options.adapter}`} at ${server.url} (POST /v1/completions, POST /v1/chat/completions, POST /generate, GET /info, GET /health) on ${options.backend}; ` +
      `${describeTemplate(chat)}; ` +
      `batches of ${options.maxBatch}, ${options.maxConcurrency} requests at once, ${options.maxNewTokens} new tokens at most; ` +
      `token ${token === undefined ? 'none' : 'required'}; Ctrl-C stops`,
  );
  if (token === undefined && !loopback.has(options.host)) {
    logger.warn(`listening on ${options.host} without a token: anyone who can reach this port can use the model; set --token or RLGF_SERVE_TOKEN`);
  }
}

export const serveCommand: CommandFactory = (io) =>
  new Command('serve')
    .description('serve a local or Hub model over HTTP as TGI and vLLM do (a guide for a learner on another machine)')
    .requiredOption('--model <dir|hub id>', 'checkpoint folder or Hub model id (owner/name; llama2.c models are converted on first use)')
    .addOption(adapterOption())
    .option('--host <address>', 'address to listen on (0.0.0.0: every interface)', '127.0.0.1')
    .option('--port <n>', 'port to listen on (0: a free one); the URL is printed on stdout', integerOption('--port'), 8080)
    .option(
      '--token <token>',
      'require Authorization: Bearer <token> on every path but /health, before routing (default: $RLGF_SERVE_TOKEN when set, which keeps it out of the process list)',
    )
    .addOption(backendOption().default('wasm'))
    .addOption(threadsOption())
    .option('--max-batch <n>', 'prompts per model call (and per request)', integerOption('--max-batch', { min: 1 }), 8)
    .option('--max-new-tokens <n>', 'new tokens per prompt at most', integerOption('--max-new-tokens', { min: 1 }), 256)
    .option('--max-concurrency <n>', 'requests admitted at once, tokenizing, waiting or generating; more get 503 with Retry-After', integerOption('--max-concurrency', { min: 1 }), 32)
    .option(
      '--max-prompt-chars <n>',
      'characters per prompt at most, refused (422) before tokenizing (default: the model\'s prompt tokens × 64, more than any token covers)',
      integerOption('--max-prompt-chars', { min: 1 }),
    )
    .option(
      '--chat-template <file>',
      'a Jinja chat template to render /v1/chat/completions with, instead of tokenizer_config.json\'s chat_template (as vLLM\'s --chat-template): for a model that has none, or to replace it',
    )
    .option('--batch-window-ms <ms>', 'how long a request reaching an idle server waits for others to share its batch', integerOption('--batch-window-ms'), 5)
    .addHelpText('after', '\nRoutes: POST /v1/completions (OpenAI, what @huggingface/inference calls; takes vLLM\'s min_tokens), POST /v1/chat/completions (OpenAI; the messages rendered by the chat template, with vLLM\'s add_generation_prompt and continue_final_message), POST /generate (TGI), GET /info, GET /health, GET /v1/models; for a reward model (a *ForSequenceClassification checkpoint): POST /v1/rewards, GET /info, GET /health.')
    .action(
      action<ServeOptions>(io, async ({ logger }, options) => {
        const token = options.token ?? (io.env.RLGF_SERVE_TOKEN || undefined);
        const local = resolve(io.cwd, options.model);
        const source = existsSync(local) ? local : options.model;
        // Read before the model is loaded: a wrong path fails in a moment, not after the download.
        const template = options.chatTemplate === undefined ? undefined : await readChatTemplate(io.cwd, options.chatTemplate);
        const adapter = adapterDir(io.cwd, options.adapter);
        setThreads(options.threads);
        await setBackend(options.backend);
        const hub = createHub({ env: io.env, cwd: io.cwd, logger });
        if (await isRewardModelSource(source, { hub })) {
          if (template !== undefined) throw new InvalidArgumentError({ argument: '--chat-template', expected: 'a language model to serve (a reward model answers /v1/rewards, not chats)' });
          if (adapter !== undefined) throw new InvalidArgumentError({ argument: '--adapter', expected: 'a language model to apply it to (LoRA adapters load on language models, not reward models)' });
          const signals = untilStopped(logger);
          return serveRewardModel(io, { ...options, source, token }, { hub, logger, stopped: signals.stopped }).finally(signals.release);
        }
        const base = await loadLanguageModel(await resolveModelReference({ source }, { hub, cacheDir: cacheDirectory(io), logger }), { hub, trainable: false });
        const model = await withAdapter(base, adapter);
        const signals = untilStopped(logger);
        try {
          const chat = servedChatTemplate(model.tokenizerFiles, template);
          const server = await startModelServer({
            model: asServableModel(model),
            modelId: options.model,
            host: options.host,
            port: options.port,
            token,
            maxBatch: options.maxBatch,
            maxNewTokens: options.maxNewTokens,
            maxConcurrency: options.maxConcurrency,
            batchWindowMs: options.batchWindowMs,
            maxPromptChars: options.maxPromptChars,
            renderChat: chat?.render,
            logger,
          });
          describeStart(server, options, token, chat, logger);
          io.stdout(`${server.url}\n`);
          await signals.stopped;
          await server.close();
          const { batches, rows } = server.stats;
          const requests = Object.entries(server.requests)
            .map(([path, count]) => `${count} ${path}`)
            .join(', ');
          logger.info(`stopped after ${rows} generation${rows === 1 ? '' : 's'} in ${batches} batch${batches === 1 ? '' : 'es'} (requests: ${requests})`);
        } finally {
          signals.release();
          model.dispose();
        }
      }),
    );
