import type { ComponentFactoryV1, LoggerV1 } from '@rlgf/contracts';
import { definePlugin, Rng } from '@rlgf/core';
import { systemClock, type Clock } from '@rlgf/resilience';
import type { z } from 'zod';
import { hfEndpointGuideOptions, resolveGuideOptions, type GuideOptions } from './guide-options';
import { HfEndpointGuide } from './hf-endpoint-guide';
import { describeTokenSource } from './token';

export interface HfEndpointGuideFactorySettings {
  /** Where the default token (`HF_TOKEN`) and `{ env }` references are read. Default: `process.env` when a guide is created. */
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
  logger.info(`hf-endpoint guide: ${options.endpointUrl}, model ${options.model}, token ${describeTokenSource(options.tokenSource)}, concurrency ${options.concurrency}, ${options.retries} retries`);
  if (options.token && url.protocol === 'http:' && !loopbackHosts.has(url.hostname)) {
    logger.warn(`hf-endpoint guide: the token is sent unencrypted to ${url.host} over http; use https, or token: null if the server needs none`);
  }
  if (options.tokenSource === 'literal') {
    logger.warn('hf-endpoint guide: the token is written in the options; prefer token: { env: "HF_TOKEN" } so it stays out of recipes');
  }
}

/** The `hf-endpoint` guide factory, with its collaborators injectable for tests. */
export function createHfEndpointGuideFactory(settings: HfEndpointGuideFactorySettings = {}): ComponentFactoryV1<'guide', z.output<typeof hfEndpointGuideOptions>> {
  return {
    specificationVersion: 'v1',
    kind: 'guide',
    id: 'hf-endpoint',
    description: 'a guide on an inference server (Inference Endpoints, TGI, vLLM) over /v1/completions, with retries and fallback',
    optionsSchema: hfEndpointGuideOptions,
    async create(parsed, context) {
      const options = resolveGuideOptions(parsed, settings.env ?? process.env);
      logStart(options, context.logger);
      const rng = Rng.fromSeed(context.seed, 'hf-endpoint', 'backoff');
      return new HfEndpointGuide(options, {
        logger: context.logger,
        clock: settings.clock ?? systemClock,
        random: settings.random ?? (() => rng.nextFloat()),
        fetch: settings.fetch,
      });
    },
  };
}

export const hfEndpointGuideFactory = createHfEndpointGuideFactory();

export const plugin = definePlugin({
  id: '@rlgf/guide-hf-endpoint',
  version: '0.1.0',
  kind: 'guide',
  description: 'guides served by Hugging Face Inference Endpoints, TGI or vLLM',
  factories: [hfEndpointGuideFactory],
});
