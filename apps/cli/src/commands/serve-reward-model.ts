import type { HubFilesV1, LoggerV1 } from '@rlgf/contracts';
import { loadRewardModel } from '@rlgf/reward-model';
import { startRewardServer } from '@rlgf/serving';
import type { CliIo } from '../cli-io';

export interface ServeRewardModelOptions {
  readonly model: string;
  readonly source: string;
  readonly host: string;
  readonly port: number;
  readonly token?: string;
  readonly backend: string;
  readonly maxBatch: number;
  readonly maxConcurrency: number;
}

/**
 * `rlgf serve --model <reward model>`: a sequence-classification checkpoint is served on
 * `POST /v1/rewards` (what the `reward-model` reward calls with `endpointUrl`) instead of the
 * generation routes. Texts are scored in batches of `maxBatch`.
 */
export async function serveRewardModel(
  io: CliIo,
  options: ServeRewardModelOptions,
  context: { readonly hub: HubFilesV1; readonly logger: LoggerV1; readonly stopped: Promise<unknown> },
): Promise<void> {
  const model = await loadRewardModel(options.source, { hub: context.hub });
  try {
    const server = await startRewardServer({
      scoring: { score: (texts, signal) => model.score(texts, { batchSize: options.maxBatch, abortSignal: signal }) },
      modelId: options.model,
      host: options.host,
      port: options.port,
      token: options.token,
      maxInputs: Math.max(64, options.maxBatch),
      maxConcurrency: options.maxConcurrency,
      logger: context.logger,
    });
    context.logger.info(
      `serving reward model ${options.model} at ${server.url} (POST /v1/rewards, GET /info, GET /health) on ${options.backend}; ` +
        `${model.maxTokens} tokens per text at most, batches of ${options.maxBatch}; token ${options.token === undefined ? 'none' : 'required'}; Ctrl-C stops`,
    );
    io.stdout(`${server.url}\n`);
    await context.stopped;
    await server.close();
  } finally {
    model.dispose();
  }
}
