import { InferenceClient } from '@huggingface/inference';
import {
  GuideUnavailableError,
  type GuideGenerateOptionsV1,
  type GuideGenerateResultV1,
  type GuideInputV1,
  type GuideOutputV1,
  type GuideUsageV1,
  type GuideV1,
  type LoggerV1,
} from '@rlgf/contracts';
import { deriveSeed, minNewTokensAt } from '@rlgf/core';
import {
  callWithRetries,
  checkTextGuideRequest,
  classifyFailure,
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
  type ObservedResponse,
  type RetryPolicy,
} from '@rlgf/resilience';
import { answerKey, type AnswerCache } from './answer-cache';
import { continuationMessages, type ChatRequestBody } from './chat-request';
import { errorBodyMessage, MalformedReplyError, readChatReply, type ChatReply } from './chat-reply';
import { cleanContinuation } from './clean-continuation';
import type { GuideOptions } from './guide-options';
import { TokenBudget } from './token-budget';

/** Collaborators of the guide, injected so tests can control time, randomness, transport and disk. */
export interface ChatEndpointGuideSettings {
  readonly logger: LoggerV1;
  readonly clock: Clock;
  /** Uniform in [0, 1): backoff jitter. */
  readonly random: () => number;
  /** Transport under the client. Default: the global `fetch`. */
  readonly fetch?: typeof fetch;
  /** The answer cache; none: every sample is a request. */
  readonly cache?: AnswerCache;
}

/** How one sample ended: an answer (from the server or the cache), a failed call, or a spent budget. */
type SampleOutcome =
  | { readonly ok: true; readonly content: string; readonly cached: boolean }
  | { readonly ok: false; readonly reason: string; readonly failure?: Failure };

/** A hint that helps when every request is refused the same way. */
function hintFor(failure: Failure | undefined): string {
  if (!failure) return 'raise maxTokens, or set onBudgetExhausted: "fallback"';
  if (failure.status === 401 || failure.status === 403) return 'check the API key (option `token`, e.g. { env: OPENAI_API_KEY })';
  if (failure.status === 404) return 'check endpointUrl (the server must serve /v1/chat/completions) and `model` (vLLM: its --served-model-name)';
  if (failure.kind === 'malformed-response') return 'endpointUrl must reach an OpenAI-compatible /v1/chat/completions route';
  if (failure.kind === 'client-error') return 'the server refused the request: check `model`, and set sendMinTokens: false or prefill: false for servers without vLLM\'s extensions';
  return 'check that the server is up and reachable, or raise timeoutMs, retries or deadlineMs';
}

/**
 * A guide behind an OpenAI-compatible chat route (`POST /v1/chat/completions`), reached with
 * `@huggingface/inference`'s chat client. It asks the model to continue `promptText + prefixText`
 * (see {@link continuationMessages}), cleans the reply in instruction mode, and returns text that
 * the trainer re-tokenizes with the policy tokenizer. Answers are cached on disk by request, and
 * a token budget counted from the servers' `usage` caps what a run spends.
 */
export class ChatEndpointGuide implements GuideV1 {
  readonly specificationVersion = 'v1';
  readonly id = 'chat-endpoint';
  readonly tokenization = 'text';
  /** Samples sent, answered and failed (last failure's kind) so far; cache hits and budget refusals are not counted. */
  readonly stats: CallStats = createCallStats();
  /** Answers taken from the cache so far. */
  cachedAnswers = 0;
  /** Requests sent to the server so far, retries included. */
  requestsSent = 0;
  // `#` fields: the options and the client hold the key, and must not show up when the guide is
  // logged, inspected or serialised.
  readonly #options: GuideOptions;
  readonly #client: InferenceClient;
  private readonly settings: ChatEndpointGuideSettings;
  private readonly limiter: ConcurrencyLimiter;
  private readonly policy: RetryPolicy;
  private readonly budget: TokenBudget;
  private warnedNoUsage = false;

  constructor(options: GuideOptions, settings: ChatEndpointGuideSettings) {
    this.#options = options;
    this.settings = settings;
    this.#client = new InferenceClient(options.token ?? '', { endpointUrl: options.endpointUrl });
    this.limiter = createConcurrencyLimiter(options.concurrency);
    this.budget = new TokenBudget(options.maxTokens, options.maxTokensPerIteration);
    this.policy = {
      retries: options.retries,
      timeoutMs: options.timeoutMs,
      baseDelayMs: options.backoffBaseMs,
      maxDelayMs: options.backoffMaxMs,
      maxRetryAfterMs: options.retryAfterMaxMs,
    };
  }

  /** Tokens the server reported for this guide's answers so far (cache hits excluded). */
  get tokensSpent(): number {
    return this.budget.spent;
  }

  async doGenerate(request: GuideGenerateOptionsV1): Promise<GuideGenerateResultV1> {
    checkTextGuideRequest(request);
    const { inputs, maxNewTokens, seed } = request;
    if (inputs.length === 0) return { outputs: [], warnings: [] };
    this.budget.startCall();
    if (this.budget.runExhausted && this.#options.onBudgetExhausted === 'fail') throw this.budgetError(this.budget.refusal() ?? '');
    const maxTokens = Math.min(maxNewTokens, this.#options.maxNewTokens ?? maxNewTokens);
    const before = { requests: this.requestsSent, cached: this.cachedAnswers, spent: this.budget.spent };
    const usage = { promptTokens: 0, completionTokens: 0 };
    const settled = await runSampleBatch(inputs.length, { deadlineMs: this.#options.deadlineMs, clock: this.settings.clock, abortSignal: request.abortSignal }, async (index, batch) => {
      const body = this.requestBody(inputs[index], { maxTokens, minTokens: Math.min(minNewTokensAt(request.minNewTokens, index), maxTokens), seed: deriveSeed(seed, 'chat-endpoint', index) });
      const outcome = await this.answerOne(body, index, { deadline: batch.deadline, signal: batch.signal, usage });
      // In `fail` modes the first sample that fails for good stops the others.
      if (!outcome.ok && !batch.stopped) {
        if (outcome.failure && this.#options.onUnavailable === 'fail') batch.stop(this.unavailable(outcome, index, inputs.length));
        if (!outcome.failure && this.budget.runExhausted && this.#options.onBudgetExhausted === 'fail') batch.stop(this.budgetError(outcome.reason));
      }
      return outcome;
    });
    this.reportFailures(settled);
    const spent: GuideUsageV1 = { requests: this.requestsSent - before.requests, cachedAnswers: this.cachedAnswers - before.cached, ...usage };
    this.settings.logger.debug(
      `chat-endpoint guide: ${inputs.length} samples, ${spent.requests} requests, ${spent.cachedAnswers} from the cache, ${spent.promptTokens} + ${spent.completionTokens} tokens` +
        `${this.#options.maxTokens === undefined ? '' : ` (budget: ${this.budget.spent} of ${this.#options.maxTokens} spent)`}`,
    );
    return { outputs: settled.map((outcome, i) => this.toOutput(outcome, inputs[i])), warnings: [], usage: spent };
  }

  private requestBody(input: GuideInputV1, sample: { readonly maxTokens: number; readonly minTokens: number; readonly seed: number }): ChatRequestBody {
    const { model, instruction, prefill, topP, temperature, sendMinTokens, sendSeed } = this.#options;
    const text = input.promptText + (input.prefixText ?? '');
    return {
      model,
      messages: continuationMessages(instruction, text, prefill),
      max_tokens: sample.maxTokens,
      temperature,
      // top_p 1 is every server's default, and TGI refuses it.
      ...(topP < 1 ? { top_p: topP } : {}),
      ...(sendSeed ? { seed: sample.seed } : {}),
      ...(sendMinTokens && sample.minTokens > 0 ? { min_tokens: sample.minTokens } : {}),
      ...(prefill ? { continue_final_message: true, add_generation_prompt: false } : {}),
    };
  }

  /** The cached answer, else (budget permitting) the server's, which is then cached. */
  private async answerOne(
    body: ChatRequestBody,
    index: number,
    batch: { readonly deadline: Deadline; readonly signal: AbortSignal; readonly usage: { promptTokens: number; completionTokens: number } },
  ): Promise<SampleOutcome> {
    const { cache } = this.settings;
    const key = cache ? answerKey(this.#options.endpointUrl, body) : undefined;
    const hit = key ? await cache?.get(key) : undefined;
    if (hit) {
      this.cachedAnswers++;
      return { ok: true, content: hit.content, cached: true };
    }
    const sent = await this.send(body, index, batch);
    if (sent.refusal !== undefined) return { ok: false, reason: sent.refusal };
    const { outcome } = sent;
    if (!outcome.ok) return { ok: false, reason: this.reasonOf(outcome), failure: outcome.failure };
    const reply = outcome.value;
    if (!reply.usageReported && !this.warnedNoUsage) {
      this.warnedNoUsage = true;
      this.settings.logger.warn('chat-endpoint guide: the server reports no `usage`; token counts and budgets use an estimate of 4 characters per token');
    }
    if (key) await cache?.set(key, { content: reply.content, ...reply.usage });
    return { ok: true, content: reply.content, cached: false };
  }

  /**
   * Sends the request with retries, unless the budget is spent when a concurrency slot comes
   * free (checked there, not before queueing: the answers ahead in the queue may spend it). Each
   * answer is charged to the budget as soon as it is read, before the slot goes to the next.
   */
  private async send(
    body: ChatRequestBody,
    index: number,
    batch: { readonly deadline: Deadline; readonly signal: AbortSignal; readonly usage: { promptTokens: number; completionTokens: number } },
  ): Promise<{ readonly refusal: string; readonly outcome?: undefined } | { readonly refusal?: undefined; readonly outcome: CallOutcome<ChatReply> }> {
    const promptChars = body.messages.reduce((sum, message) => sum + message.content.length, 0);
    let refusal: string | undefined;
    const callStats = createCallStats();
    const outcome = await callWithRetries(
      async ({ signal, fetch }) => {
        refusal = this.budget.refusal();
        if (refusal !== undefined) throw new BudgetSpentError(refusal);
        this.requestsSent++;
        // The client's own retry re-sends 503s at once and forever: retries are ours. The body
        // goes out as given (vLLM's extra fields included); the answer is checked here.
        const answer: unknown = await this.#client.chatCompletion({ ...body, messages: body.messages.map((message) => ({ ...message })) }, { retry_on_error: false, signal, fetch });
        const reply = readChatReply(answer, promptChars);
        this.budget.charge(reply.usage);
        batch.usage.promptTokens += reply.usage.promptTokens;
        batch.usage.completionTokens += reply.usage.completionTokens;
        return reply;
      },
      {
        policy: this.policy,
        clock: this.settings.clock,
        random: this.settings.random,
        signal: batch.signal,
        deadline: batch.deadline,
        limiter: this.limiter,
        stats: callStats,
        fetch: this.settings.fetch,
        classify: (error, observed, nowMs) => classifyReplyFailure(error, observed, nowMs),
        onRetry: ({ attempt, failure, delayMs }) =>
          this.settings.logger.debug(this.redact(`chat-endpoint guide: sample ${index + 1} attempt ${attempt + 1} failed: ${failure.message}; retrying in ${delayMs} ms`)),
      },
    );
    // A call the budget ended before any request counts nowhere; one it ended after retries
    // counts what was sent.
    if (!outcome.ok && refusal !== undefined) {
      if (callStats.attempts === 1) return { refusal };
      callStats.failuresByKind.unexpected--;
      callStats.attempts--;
      callStats.retries--;
    }
    addStats(this.stats, callStats);
    return refusal !== undefined && !outcome.ok ? { refusal } : { outcome };
  }

  private toOutput(outcome: SampleOutcome, input: GuideInputV1): GuideOutputV1 {
    if (!outcome.ok) return { status: 'failed', reason: outcome.reason };
    // With prefill the server continued the text itself: its answer is the continuation as is.
    const text = this.#options.prefill ? outcome.content : cleanContinuation(input.promptText + (input.prefixText ?? ''), outcome.content);
    return { status: 'ok', text };
  }

  private reasonOf(outcome: Extract<CallOutcome<ChatReply>, { ok: false }>): string {
    const attempts = `${outcome.attempts} attempt${outcome.attempts === 1 ? '' : 's'}`;
    return this.redact(`${outcome.failure.message} (after ${attempts})`);
  }

  private unavailable(outcome: Extract<SampleOutcome, { ok: false }>, index: number, count: number): GuideUnavailableError {
    return new GuideUnavailableError({
      message: this.redact(`chat guide ${this.#options.endpointUrl} (model ${this.#options.model}) is unavailable: sample ${index + 1} of ${count} failed: ${outcome.reason}`),
      hint: `${hintFor(outcome.failure)}; or set onUnavailable: "fallback" to let the trainer use the learner for failed samples`,
    });
  }

  private budgetError(reason: string): GuideUnavailableError {
    return new GuideUnavailableError({
      message: `chat guide ${this.#options.endpointUrl} (model ${this.#options.model}): ${reason}`,
      hint: 'raise maxTokens and continue with `rlgf train --resume <run dir> --set guide.options.maxTokens=<more>` (answers already paid for come from the cache), or set onBudgetExhausted: "fallback"',
    });
  }

  private reportFailures(outcomes: readonly SampleOutcome[]): void {
    const failed = outcomes.filter((outcome): outcome is Extract<SampleOutcome, { ok: false }> => !outcome.ok);
    if (failed.length === 0) return;
    const first = failed[0];
    this.settings.logger.warn(
      this.redact(
        `chat-endpoint guide: ${failed.length} of ${outcomes.length} samples failed (first: ${first.reason}); the trainer falls back to the learner for them; ${hintFor(first.failure)}`,
      ),
    );
  }

  private redact(text: string): string {
    return redactSecrets(text, [this.#options.token]);
  }
}

/** Adds the counters of one call to the totals. */
function addStats(total: CallStats, call: CallStats): void {
  for (const field of ['calls', 'attempts', 'retries', 'succeeded', 'failed', 'backoffMs'] as const) total[field] += call[field];
  for (const [kind, count] of Object.entries(call.failuresByKind)) total.failuresByKind[kind as keyof CallStats['failuresByKind']] += count;
}

/** Thrown by an attempt that finds the budget spent: ends the call without a request. */
class BudgetSpentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BudgetSpentError';
  }
}

/**
 * {@link classifyFailure}, plus: a reply that parsed but holds no text is not retried (the server
 * answers that way by choice); HTTP errors quote the message of OpenAI's `{error: {message}}`
 * body, which `@huggingface/inference` does not read.
 */
function classifyReplyFailure(error: unknown, observed: ObservedResponse | undefined, nowMs: number): Failure {
  if (error instanceof BudgetSpentError) return { kind: 'unexpected', retryable: false, message: error.message };
  if (error instanceof MalformedReplyError) {
    const type = observed?.headers.get('content-type');
    const detail = type && !/json/i.test(type) ? `content type ${type}, expected application/json` : error.message;
    return { kind: 'malformed-response', retryable: false, message: `malformed response: ${detail}` };
  }
  const failure = classifyFailure(error, observed, nowMs);
  const body = (error as { httpResponse?: { body?: unknown } } | null)?.httpResponse?.body;
  const quoted = failure.status !== undefined ? errorBodyMessage(body) : undefined;
  if (quoted && !failure.message.includes(quoted)) {
    const message = `${failure.message.replace(/: Failed to perform inference: an HTTP error occurred when requesting the provider\.?$/, '')}: ${quoted.replace(/\s+/g, ' ').slice(0, 200)}`;
    return { ...failure, message };
  }
  return failure;
}
