import type { ComponentFactoryV1, LoggerV1 } from '@rlgf/contracts';
import { definePlugin, Rng } from '@rlgf/core';
import { systemClock, type Clock } from '@rlgf/resilience';
import type { z } from 'zod';
import { AnswerCache } from './answer-cache';
import { ChatEndpointGuide } from './chat-endpoint-guide';
import { chatEndpointGuideOptions, resolveGuideOptions, type GuideOptions } from './guide-options';
import { describeTokenSource } from './token';

export interface ChatEndpointGuideFactorySettings {
  /** Where `{ env }` references are read. Default: `process.env` when a guide is created. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Default: the system clock. */
  readonly clock?: Clock;
  /** Backoff jitter in [0, 1). Default: a generator seeded from the run seed. */
  readonly random?: () => number;
  /** Transport under the client. Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

function logStart(options: GuideOptions, logger: LoggerV1): void {
  const url = new URL(options.endpointUrl);
  const budget = options.maxTokens === undefined ? 'no token budget' : `a budget of ${options.maxTokens} tokens (then ${options.onBudgetExhausted})`;
  logger.info(
    `chat-endpoint guide: ${options.endpointUrl}, model ${options.model}, ${options.prefill ? 'assistant prefill' : 'instruction mode'}, key ${describeTokenSource(options.tokenSource)}, ` +
      `concurrency ${options.concurrency}, ${options.retries} retries, ${budget}, cache ${options.cacheDir ?? 'off'}`,
  );
  if (options.token && url.protocol === 'http:' && !loopbackHosts.has(url.hostname)) {
    logger.warn(`chat-endpoint guide: the API key is sent unencrypted to ${url.host} over http; use https, or token: null if the server needs none`);
  }
  if (options.tokenSource === 'literal') {
    logger.warn('chat-endpoint guide: the API key is written in the options; prefer token: { env: "NAME" } so it stays out of recipes');
  }
}

/** The `chat-endpoint` guide factory, with its collaborators injectable for tests. */
export function createChatEndpointGuideFactory(settings: ChatEndpointGuideFactorySettings = {}): ComponentFactoryV1<'guide', z.output<typeof chatEndpointGuideOptions>> {
  return {
    specificationVersion: 'v1',
    kind: 'guide',
    id: 'chat-endpoint',
    description: 'a chat model on any OpenAI-compatible /v1/chat/completions server (vLLM, TGI, llama.cpp, Ollama, hosted APIs), with token budgets and an answer cache',
    optionsSchema: chatEndpointGuideOptions,
    async create(parsed, context) {
      const options = resolveGuideOptions(parsed, settings.env ?? process.env, { cacheDir: context.cacheDir, workingDirectory: context.workingDirectory });
      logStart(options, context.logger);
      const rng = Rng.fromSeed(context.seed, 'chat-endpoint', 'backoff');
      return new ChatEndpointGuide(options, {
        logger: context.logger,
        clock: settings.clock ?? systemClock,
        random: settings.random ?? (() => rng.nextFloat()),
        fetch: settings.fetch,
        cache: options.cacheDir === undefined ? undefined : new AnswerCache({ dir: options.cacheDir, maxBytes: options.cacheMaxBytes }),
      });
    },
  };
}

export const chatEndpointGuideFactory = createChatEndpointGuideFactory();

export const plugin = definePlugin({
  id: '@rlgf/guide-chat-endpoint',
  version: '0.1.0',
  kind: 'guide',
  description: 'black-box chat models as guides, over any OpenAI-compatible chat completions endpoint',
  factories: [chatEndpointGuideFactory],
});
