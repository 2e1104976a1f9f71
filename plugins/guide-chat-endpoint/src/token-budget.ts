/** Tokens as the server counted them (`usage`), or as estimated when it sent none. */
export interface TokenUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
}

/**
 * A token budget: `maxTokens` for the run and `maxTokensPerIteration` for one doGenerate call
 * (prompt + completion tokens, as the server reports them). A request may start while the budget
 * is not yet spent; what it costs is only known from its answer, so answers in flight can pass
 * the budget by up to the concurrency limit.
 */
export class TokenBudget {
  private runSpent = 0;
  private callSpent = 0;

  constructor(
    private readonly maxTokens: number | undefined,
    private readonly maxTokensPerIteration: number | undefined,
  ) {}

  /** Tokens spent by this guide so far (answers from the cache cost nothing). */
  get spent(): number {
    return this.runSpent;
  }

  /** Starts a new doGenerate call (the per-iteration budget starts over). */
  startCall(): void {
    this.callSpent = 0;
  }

  /** Whether the run's budget is spent. */
  get runExhausted(): boolean {
    return this.maxTokens !== undefined && this.runSpent >= this.maxTokens;
  }

  /** Why no further request may be sent, or undefined when one may. */
  refusal(): string | undefined {
    if (this.runExhausted) return `the guide's token budget of ${this.maxTokens} is spent (${this.runSpent} tokens used; option maxTokens)`;
    if (this.maxTokensPerIteration !== undefined && this.callSpent >= this.maxTokensPerIteration) {
      return `the guide's token budget of ${this.maxTokensPerIteration} per iteration is spent (${this.callSpent} tokens this iteration; option maxTokensPerIteration)`;
    }
    return undefined;
  }

  charge(usage: TokenUsage): void {
    const tokens = usage.promptTokens + usage.completionTokens;
    this.runSpent += tokens;
    this.callSpent += tokens;
  }
}
