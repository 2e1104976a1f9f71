import { InferenceClient } from '@huggingface/inference';
import {
  GuideUnavailableError,
  type GuideGenerateOptionsV1,
  type GuideGenerateResultV1,
  type GuideInputV1,
  type GuideOutputV1,
  type GuideV1,
  type LoggerV1,
} from '@rlgf/contracts';
import { deriveSeed, minNewTokensAt } from '@rlgf/core';
import {
  callWithRetries,
  checkTextGuideRequest,
  createCallStats,
  createConcurrencyLimiter,
  redactSecrets,
  runSampleBatch,
  type CallOutcome,
  type CallStats,
  type Clock,
  type ConcurrencyLimiter,
  type Deadline,
  type Failure,
  type RetryPolicy,
} from '@rlgf/resilience';
import type { GuideOptions } from './guide-options';

/** Collaborators of the guide, injected so tests can control time, randomness and transport. */
export interface HfEndpointGuideSettings {
  readonly logger: LoggerV1;
  readonly clock: Clock;
  /** Uniform in [0, 1): backoff jitter. */
  readonly random: () => number;
  /** Transport under the client. Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
}

type SampleOutcome = CallOutcome<string>;

/** A hint that helps when every request is refused the same way. */
function hintFor(failure: Failure): string {
  if (failure.status === 401 || failure.status === 403) return 'check the token (option `token`, default $HF_TOKEN)';
  if (failure.status === 404) return 'check endpointUrl (the server must serve /v1/completions) and `model` (vLLM: its --served-model-name)';
  if (failure.kind === 'malformed-response') return 'endpointUrl must reach an OpenAI-compatible /v1/completions route (TGI, vLLM, Inference Endpoints)';
  return 'check that the server is up and reachable, or raise timeoutMs, retries or deadlineMs';
}

/**
 * A guide behind an OpenAI-compatible completions route, reached with `@huggingface/inference`.
 * Text-level: the server sees `promptText + prefixText` exactly, and each output's `text` is
 * exactly what the server generated after it (no whitespace is added, stripped or normalised).
 */
export class HfEndpointGuide implements GuideV1 {
  readonly specificationVersion = 'v1';
  readonly id = 'hf-endpoint';
  readonly tokenization = 'text';
  /** Requests, retries and failures so far, across batches. */
  readonly stats: CallStats = createCallStats();
  // `#` fields: the options and the client hold the token, and must not show up when the guide
  // is logged, inspected or serialised.
  readonly #options: GuideOptions;
  readonly #client: InferenceClient;
  private readonly settings: HfEndpointGuideSettings;
  private readonly limiter: ConcurrencyLimiter;
  private readonly policy: RetryPolicy;

  constructor(options: GuideOptions, settings: HfEndpointGuideSettings) {
    this.#options = options;
    this.settings = settings;
    this.#client = new InferenceClient(options.token ?? '', { endpointUrl: options.endpointUrl });
    this.limiter = createConcurrencyLimiter(options.concurrency);
    this.policy = {
      retries: options.retries,
      timeoutMs: options.timeoutMs,
      baseDelayMs: options.backoffBaseMs,
      maxDelayMs: options.backoffMaxMs,
      maxRetryAfterMs: options.retryAfterMaxMs,
    };
  }

  async doGenerate(request: GuideGenerateOptionsV1): Promise<GuideGenerateResultV1> {
    checkTextGuideRequest(request);
    const { inputs, maxNewTokens, seed } = request;
    if (inputs.length === 0) return { outputs: [], warnings: [] };
    const maxTokens = Math.min(maxNewTokens, this.#options.maxNewTokens ?? maxNewTokens);
    const settled = await runSampleBatch(inputs.length, { deadlineMs: this.#options.deadlineMs, clock: this.settings.clock, abortSignal: request.abortSignal }, async (index, batch) => {
      const minTokens = Math.min(minNewTokensAt(request.minNewTokens, index), maxTokens);
      const outcome = await this.generateOne(inputs[index], index, { maxTokens, minTokens, seed: deriveSeed(seed, 'hf-endpoint', index), deadline: batch.deadline, signal: batch.signal });
      // In `fail` mode the first sample that fails for good stops the others.
      if (!outcome.ok && this.#options.onUnavailable === 'fail') batch.stop(this.unavailable(outcome, index, inputs.length));
      return outcome;
    });
    this.reportFailures(settled);
    return { outputs: settled.map((outcome) => this.toOutput(outcome)), warnings: [] };
  }

  private generateOne(
    input: GuideInputV1,
    index: number,
    batch: { readonly maxTokens: number; readonly minTokens: number; readonly seed: number; readonly deadline: Deadline; readonly signal: AbortSignal },
  ): Promise<SampleOutcome> {
    const prompt = input.promptText + (input.prefixText ?? '');
    const { model, topP, temperature } = this.#options;
    return callWithRetries(
      async ({ signal, fetch }) => {
        const output = await this.#client.textGeneration(
          {
            model,
            inputs: prompt,
            // TGI refuses top_p = 1; leaving it out means no nucleus filter on every server.
            // `min_tokens` is vLLM's (and `rlgf serve`'s) minimum length; servers without it ignore it.
            parameters: {
              max_new_tokens: batch.maxTokens,
              ...(batch.minTokens > 0 ? { min_tokens: batch.minTokens } : {}),
              ...(topP < 1 ? { top_p: topP } : {}),
              temperature,
              seed: batch.seed,
            },
          },
          // The client's own retry re-sends 503s at once and forever: retries are ours.
          { retry_on_error: false, signal, fetch },
        );
        return output.generated_text;
      },
      {
        policy: this.policy,
        clock: this.settings.clock,
        random: this.settings.random,
        signal: batch.signal,
        deadline: batch.deadline,
        limiter: this.limiter,
        stats: this.stats,
        fetch: this.settings.fetch,
        onRetry: ({ attempt, failure, delayMs }) =>
          this.settings.logger.debug(this.redact(`hf-endpoint guide: sample ${index + 1} attempt ${attempt + 1} failed: ${failure.message}; retrying in ${delayMs} ms`)),
      },
    );
  }

  private toOutput(outcome: SampleOutcome): GuideOutputV1 {
    if (outcome.ok) return { status: 'ok', text: outcome.value };
    return { status: 'failed', reason: this.reasonOf(outcome) };
  }

  private reasonOf(outcome: Extract<SampleOutcome, { ok: false }>): string {
    const attempts = `${outcome.attempts} attempt${outcome.attempts === 1 ? '' : 's'}`;
    return this.redact(`${outcome.failure.message} (after ${attempts})`);
  }

  private unavailable(outcome: Extract<SampleOutcome, { ok: false }>, index: number, count: number): GuideUnavailableError {
    return new GuideUnavailableError({
      message: this.redact(`guide endpoint ${this.#options.endpointUrl} is unavailable: sample ${index + 1} of ${count} failed: ${this.reasonOf(outcome)}`),
      hint: `${hintFor(outcome.failure)}; or set onUnavailable: "fallback" to let the trainer use the learner for failed samples`,
    });
  }

  private reportFailures(outcomes: readonly SampleOutcome[]): void {
    const failed = outcomes.filter((outcome): outcome is Extract<SampleOutcome, { ok: false }> => !outcome.ok);
    if (failed.length === 0) return;
    const first = failed[0];
    this.settings.logger.warn(
      this.redact(
        `hf-endpoint guide: ${failed.length} of ${outcomes.length} samples failed after retries (first: ${this.reasonOf(first)}); ` +
          `the trainer falls back to the learner for them; ${hintFor(first.failure)}`,
      ),
    );
  }

  private redact(text: string): string {
    return redactSecrets(text, [this.#options.token]);
  }
}
