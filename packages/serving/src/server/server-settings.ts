import { InvalidArgumentError, type LoggerV1 } from '@rlgf/contracts';
import type { ChatRenderer } from '../chat/chat-renderer';
import type { GeneratedRow, GenerationRow } from '../generation/generation-row';
import type { ServableModel } from '../generation/servable-model';
import { maxCharsPerToken } from '../api/serving-limits';

export interface ModelServerOptions {
  readonly model: ServableModel;
  /** Reported as `model` in answers and `model_id` in `/info` (the folder or Hub id served). */
  readonly modelId: string;
  /** Default `127.0.0.1` (loopback only). `0.0.0.0` listens on every interface. */
  readonly host?: string;
  /** Default 0: a free port, read back from `url`. */
  readonly port?: number;
  /**
   * When set, every path but `/health` wants `Authorization: Bearer <token>` (else 401), checked
   * before routing: unknown paths and wrong methods get 401 too, not a 404/405 listing the routes.
   */
  readonly token?: string;
  /** Rows per model call (default 8); also the most prompts one request may send. */
  readonly maxBatch?: number;
  /** New tokens per prompt at most (default 256, lowered to the model's positions - 1). */
  readonly maxNewTokens?: number;
  /**
   * Requests admitted at once, tokenizing, waiting or generating (default 32); more get 503 +
   * Retry-After.
   */
  readonly maxConcurrency?: number;
  /** Largest request body (default 1 MiB); larger ones get 413. */
  readonly maxBodyBytes?: number;
  /**
   * Characters per prompt at most, checked before tokenizing (else 422). Default: the model's
   * prompt tokens (positions - 1) × 64, more than any token of the vocabularies rlgf loads covers.
   */
  readonly maxPromptChars?: number;
  /** How long a request reaching an idle server waits for others to share its batch (default 5 ms). */
  readonly batchWindowMs?: number;
  /** Stop strings per request at most (default 4, as TGI). */
  readonly maxStopSequences?: number;
  /** Request lines (method, path, status, time; never headers) and errors. */
  readonly logger?: LoggerV1;
  /** Seed of requests that send none. Default: a random 32-bit integer. */
  readonly randomSeed?: () => number;
  /**
   * Renders chat messages with the served model's chat template, for `/v1/chat/completions`.
   * None: that route answers 422 (the model has no template).
   */
  readonly renderChat?: ChatRenderer;
  /** Generates one batch. Default: the model, one forward pass per step for the whole batch. */
  readonly generateBatch?: (rows: readonly GenerationRow[]) => Promise<GeneratedRow[]>;
}

export interface ServerSettings {
  readonly host: string;
  readonly port: number;
  readonly token?: string;
  readonly maxBatch: number;
  readonly maxNewTokens: number;
  readonly maxConcurrency: number;
  readonly maxBodyBytes: number;
  readonly maxPromptChars: number;
  readonly batchWindowMs: number;
  readonly maxStopSequences: number;
}

function integer(name: string, value: number | undefined, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const chosen = value ?? fallback;
  if (!Number.isSafeInteger(chosen) || chosen < min || chosen > max) {
    throw new InvalidArgumentError({ argument: name, value: chosen, expected: `an integer in [${min}, ${max}]` });
  }
  return chosen;
}

/** The options with their defaults, each checked (InvalidArgumentError naming the option). */
export function resolveServerSettings(options: ModelServerOptions): ServerSettings {
  const maxPositions = options.model.info.maxPositions;
  if (options.token !== undefined && options.token.trim() === '') {
    throw new InvalidArgumentError({ argument: 'token', expected: 'a non-empty token, or no token at all', hint: 'leave --token out to serve without authentication' });
  }
  const host = options.host ?? '127.0.0.1';
  if (host.trim() === '') throw new InvalidArgumentError({ argument: 'host', value: host, expected: 'an address to listen on, e.g. 127.0.0.1 or 0.0.0.0' });
  return {
    host,
    port: integer('port', options.port, 0, 0, 65_535),
    token: options.token,
    maxBatch: integer('maxBatch', options.maxBatch, 8, 1, 1024),
    maxNewTokens: Math.min(integer('maxNewTokens', options.maxNewTokens, 256, 1), maxPositions - 1),
    maxConcurrency: integer('maxConcurrency', options.maxConcurrency, 32, 1),
    maxBodyBytes: integer('maxBodyBytes', options.maxBodyBytes, 1 << 20, 1),
    maxPromptChars: integer('maxPromptChars', options.maxPromptChars, (maxPositions - 1) * maxCharsPerToken, 1),
    batchWindowMs: integer('batchWindowMs', options.batchWindowMs, 5, 0, 10_000),
    maxStopSequences: integer('maxStopSequences', options.maxStopSequences, 4, 0, 64),
  };
}
