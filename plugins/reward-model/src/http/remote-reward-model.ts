import { EndpointUnavailableError } from '@rlgf/contracts';
import {
  callWithRetries,
  createCallStats,
  createConcurrencyLimiter,
  createDeadline,
  redactSecrets,
  type CallStats,
  type Clock,
  type ConcurrencyLimiter,
  type RetryPolicy,
} from '@rlgf/resilience';
import type { RewardScorer } from '../reward/reward-scorer';
import { rewardsOf, rewardsUrl } from './rewards-protocol';

export interface RemoteRewardSettings {
  readonly endpointUrl: string;
  readonly token?: string;
  /** Inputs per request. */
  readonly batchSize: number;
  readonly concurrency: number;
  readonly policy: RetryPolicy;
  /** Time limit of one `score` call, all its requests together. */
  readonly deadlineMs: number;
  readonly clock: Clock;
  /** Backoff jitter in [0, 1). */
  readonly random: () => number;
  readonly fetch?: typeof fetch;
}

/** An HTTP error answer, carrying the status and headers that `classifyFailure` reads. */
class RewardHttpError extends Error {
  constructor(
    readonly status: number,
    readonly headers: Headers,
    message: string,
  ) {
    super(message);
    this.name = 'RewardHttpError';
  }
}

/**
 * A reward model behind `POST /v1/rewards`, called in batches with the fault handling of remote
 * guides: a time limit per request, retries of network errors, time-outs, 429 and 5xx with
 * full-jitter backoff or the server's `Retry-After`, a concurrency limit and a deadline per call.
 * A batch that still fails makes the whole call fail: a reward cannot be made up.
 */
export class RemoteRewardModel implements RewardScorer {
  readonly stats: CallStats = createCallStats();
  readonly description: string;
  readonly #token?: string;
  private readonly url: string;
  private readonly limiter: ConcurrencyLimiter;

  constructor(private readonly settings: RemoteRewardSettings) {
    this.url = rewardsUrl(settings.endpointUrl);
    this.#token = settings.token;
    this.limiter = createConcurrencyLimiter(settings.concurrency);
    this.description = `remote reward model at ${this.url} (${settings.batchSize} inputs per request, ${settings.concurrency} in flight)`;
  }

  async score(texts: readonly string[], abortSignal?: AbortSignal): Promise<number[]> {
    const batches: string[][] = [];
    for (let start = 0; start < texts.length; start += this.settings.batchSize) batches.push(texts.slice(start, start + this.settings.batchSize));
    const deadline = createDeadline(this.settings.deadlineMs, this.settings.clock);
    try {
      const outcomes = await Promise.all(
        batches.map((inputs) =>
          callWithRetries(({ signal, fetch }) => this.request(inputs, fetch, signal), {
            policy: this.settings.policy,
            clock: this.settings.clock,
            random: this.settings.random,
            signal: abortSignal,
            deadline,
            limiter: this.limiter,
            stats: this.stats,
            fetch: this.settings.fetch,
          }),
        ),
      );
      const failed = outcomes.findIndex((outcome) => !outcome.ok);
      if (failed >= 0) {
        const outcome = outcomes[failed];
        const reason = outcome.ok ? '' : `${outcome.failure.message} (after ${outcome.attempts} attempt${outcome.attempts === 1 ? '' : 's'})`;
        throw new EndpointUnavailableError({
          message: redactSecrets(`reward model at ${this.url} failed on batch ${failed + 1} of ${batches.length}: ${reason}`, [this.#token]),
          hint: 'check that the server is up and serves POST /v1/rewards (rlgf serve --model <reward model>), the token, or raise retries, timeoutMs or deadlineMs',
        });
      }
      return outcomes.flatMap((outcome) => (outcome.ok ? outcome.value : []));
    } finally {
      deadline.dispose();
    }
  }

  dispose(): void {
    // Nothing is held between calls.
  }

  private async request(inputs: readonly string[], fetchWith: typeof fetch, signal: AbortSignal): Promise<number[]> {
    const response = await fetchWith(this.url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(this.#token ? { Authorization: `Bearer ${this.#token}` } : {}) },
      body: JSON.stringify({ inputs }),
      signal,
    });
    const text = await response.text();
    if (!response.ok) throw new RewardHttpError(response.status, response.headers, text.slice(0, 300) || response.statusText);
    return rewardsOf(JSON.parse(text), inputs.length);
  }
}
