export interface GenerationQueueSettings<Row> {
  /** Rows per batch at most (one model call per batch). */
  readonly maxBatchRows: number;
  /**
   * How long the first row of an idle queue waits for others to join its batch. Rows that arrive
   * while a batch runs wait anyway, and go together into the next one.
   */
  readonly batchWindowMs: number;
  /**
   * Requests admitted at once, from admission (before their prompts are tokenized) until the last
   * of their rows has left the queue or its batch; more are refused.
   */
  readonly maxRequests: number;
  /** Whether `row` may join `batch` (e.g. prompt + budget within the model's positions). */
  readonly fits?: (batch: readonly Row[], row: Row) => boolean;
}

/** Counters of a queue, for `/info`, logs and tests. */
export interface GenerationQueueStats {
  /** Model calls so far. */
  readonly batches: number;
  /** Rows generated so far. */
  readonly rows: number;
  readonly largestBatch: number;
  /** Requests admitted and not finished (preparing, waiting or in the running batch). */
  readonly activeRequests: number;
  /** Rows waiting for a batch. */
  readonly queuedRows: number;
  /** Requests refused because `maxRequests` were active. */
  readonly refusedRequests: number;
}

/** Whether a request got in: its results (aligned with its rows), or why it did not. */
export type Submission<Out> = { readonly status: 'accepted'; readonly results: Promise<Out[]> } | { readonly status: 'full' } | { readonly status: 'closed' };

/**
 * A request let in: it holds one of the `maxRequests` places until the last of its rows is done
 * (a row in the running batch keeps it even when its client has gone, since the batch still
 * computes it) or until it is released without submitting (its prompts were refused).
 */
export interface Admitted<Row, Out> {
  readonly status: 'admitted';
  /** Queues the rows; at most once. Rejects at once when the signal has aborted or the queue closed. */
  submit(rows: readonly Row[], signal?: AbortSignal): Promise<Out[]>;
  /** Gives the place back without submitting; no effect once submitted or released. */
  release(): void;
}

export type Admission<Row, Out> = Admitted<Row, Out> | { readonly status: 'full' } | { readonly status: 'closed' };

interface Entry<Row, Out> {
  readonly row: Row;
  readonly resolve: (out: Out) => void;
  readonly reject: (reason: unknown) => void;
}

/**
 * A first-come-first-served queue that groups rows of concurrent requests into batches for one
 * model call each, one batch at a time (the model is one device). A request's rows may span
 * batches; a request whose signal aborts leaves the queue.
 */
export class GenerationQueue<Row, Out> {
  private readonly waiting: Entry<Row, Out>[] = [];
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private closed = false;
  private closeReason: unknown;
  private counts = { batches: 0, rows: 0, largestBatch: 0, activeRequests: 0, refusedRequests: 0 };

  constructor(
    private readonly run: (rows: Row[]) => Promise<Out[]>,
    private readonly settings: GenerationQueueSettings<Row>,
  ) {}

  get stats(): GenerationQueueStats {
    return { ...this.counts, queuedRows: this.waiting.length };
  }

  /** Lets a request in, or says why not (`full` is counted in `refusedRequests`). */
  admit(): Admission<Row, Out> {
    if (this.closed) return { status: 'closed' };
    if (this.counts.activeRequests >= this.settings.maxRequests) {
      this.counts.refusedRequests++;
      return { status: 'full' };
    }
    this.counts.activeRequests++;
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      this.counts.activeRequests--;
    };
    return {
      status: 'admitted',
      release,
      submit: (rows, signal) => {
        if (!held) return Promise.reject(new Error('this admission was already used'));
        if (this.closed) return (release(), Promise.reject(this.closeReason));
        if (signal?.aborted) return (release(), Promise.reject(signal.reason));
        return this.enqueue(rows, signal, release);
      },
    };
  }

  /** `admit` and `submit` at once. */
  submit(rows: readonly Row[], signal?: AbortSignal): Submission<Out> {
    const admission = this.admit();
    if (admission.status !== 'admitted') return admission;
    return { status: 'accepted', results: admission.submit(rows, signal) };
  }

  private enqueue(rows: readonly Row[], signal: AbortSignal | undefined, release: () => void): Promise<Out[]> {
    let unsettled = rows.length;
    const onAbort = () => this.withdraw(entries, signal?.reason);
    // The place is given back when every row is settled, not when the first one fails.
    const settled = () => {
      if (--unsettled > 0) return;
      signal?.removeEventListener('abort', onAbort);
      release();
    };
    const entries: Entry<Row, Out>[] = [];
    const outputs = rows.map(
      (row) =>
        new Promise<Out>((resolve, reject) =>
          entries.push({ row, resolve: (out) => (settled(), resolve(out)), reject: (reason) => (settled(), reject(reason)) }),
        ),
    );
    if (rows.length === 0) release();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.waiting.push(...entries);
    this.schedule();
    return Promise.all(outputs);
  }

  /** Refuses new requests, fails the waiting ones with `reason`, and waits for the running batch. */
  async close(reason: unknown): Promise<void> {
    this.closed = true;
    this.closeReason = reason;
    clearTimeout(this.timer);
    this.timer = undefined;
    for (const entry of this.waiting.splice(0)) entry.reject(reason);
    await this.running;
  }

  private withdraw(entries: readonly Entry<Row, Out>[], reason: unknown): void {
    for (const entry of entries) {
      const at = this.waiting.indexOf(entry);
      if (at === -1) continue;
      this.waiting.splice(at, 1);
      entry.reject(reason);
    }
  }

  private schedule(): void {
    if (this.running || this.waiting.length === 0) return;
    if (this.waiting.length >= this.settings.maxBatchRows || this.settings.batchWindowMs <= 0) {
      this.startBatch();
    } else {
      this.timer ??= setTimeout(() => this.startBatch(), this.settings.batchWindowMs);
    }
  }

  private startBatch(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.running || this.waiting.length === 0) return;
    const batch = this.takeBatch();
    this.counts.batches++;
    this.counts.rows += batch.length;
    this.counts.largestBatch = Math.max(this.counts.largestBatch, batch.length);
    this.running = this.runBatch(batch).finally(() => {
      this.running = undefined;
      // Rows that arrived meanwhile have waited a whole batch already: no window for them.
      if (!this.closed && this.waiting.length > 0) this.startBatch();
    });
  }

  private takeBatch(): Entry<Row, Out>[] {
    const batch: Entry<Row, Out>[] = [this.waiting.shift() as Entry<Row, Out>];
    const { fits, maxBatchRows } = this.settings;
    while (this.waiting.length > 0 && batch.length < maxBatchRows) {
      // First come, first served: stop at the first row that does not fit, rather than skip it.
      if (fits && !fits(batch.map((entry) => entry.row), this.waiting[0].row)) break;
      batch.push(this.waiting.shift() as Entry<Row, Out>);
    }
    return batch;
  }

  private async runBatch(batch: readonly Entry<Row, Out>[]): Promise<void> {
    try {
      const outputs = await this.run(batch.map((entry) => entry.row));
      batch.forEach((entry, i) => entry.resolve(outputs[i]));
    } catch (error) {
      for (const entry of batch) entry.reject(error);
    }
  }
}
