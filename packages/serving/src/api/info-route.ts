import type { GenerationQueueStats } from '../batching/generation-queue';
import type { ServingLimits } from './serving-limits';

export interface ServerDescription {
  readonly modelId: string;
  readonly modelType: string;
  /** The TensorFlow.js backend generating. */
  readonly backend: string;
  readonly version: string;
  readonly limits: ServingLimits;
  readonly maxConcurrentRequests: number;
  readonly maxBatchSize: number;
  readonly stats: GenerationQueueStats;
  /** Requests each generation route received (`POST /v1/chat/completions`: n). */
  readonly requests: Readonly<Record<string, number>>;
}

/**
 * TGI's `GET /info` fields that describe this server (TGI clients read `model_id`,
 * `max_input_tokens` (older: `max_input_length`) and `max_total_tokens`), plus its own
 * `max_new_tokens`, batching counters and the requests each generation route received.
 */
export function infoResponse(server: ServerDescription): Record<string, unknown> {
  const { limits } = server;
  return {
    model_id: server.modelId,
    model_type: server.modelType,
    model_dtype: 'float32',
    model_device_type: server.backend,
    model_pipeline_tag: 'text-generation',
    max_concurrent_requests: server.maxConcurrentRequests,
    max_best_of: 1,
    max_stop_sequences: limits.maxStopSequences,
    max_input_tokens: limits.maxInputTokens,
    max_input_length: limits.maxInputTokens,
    max_total_tokens: limits.maxTotalTokens,
    max_new_tokens: limits.maxNewTokens,
    max_batch_size: server.maxBatchSize,
    max_client_batch_size: limits.maxPrompts,
    router: 'rlgf-serve',
    version: server.version,
    stats: {
      batches: server.stats.batches,
      rows: server.stats.rows,
      largest_batch: server.stats.largestBatch,
      active_requests: server.stats.activeRequests,
      queued_rows: server.stats.queuedRows,
      refused_requests: server.stats.refusedRequests,
      requests: server.requests,
    },
  };
}

/** OpenAI's `GET /v1/models`: the one model this server serves. */
export function modelsResponse(modelId: string, createdMs: number): Record<string, unknown> {
  return { object: 'list', data: [{ id: modelId, object: 'model', created: Math.floor(createdMs / 1000), owned_by: 'rlgf' }] };
}
