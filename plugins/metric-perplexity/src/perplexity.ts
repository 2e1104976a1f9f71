import type { LanguageModelV1, MetricItemV1 } from '@rlgf/contracts';
import { continuationIds } from '@rlgf/models';
import { createConcurrencyLimiter } from '@rlgf/resilience';

export interface PerplexityResult {
  /** exp of the mean negative log-likelihood over all scored tokens of the corpus. */
  readonly corpus: number;
  /** exp of each item's mean negative log-likelihood (NaN for an item without tokens). */
  readonly perItem: number[];
  readonly tokens: number;
}

/**
 * Perplexity of `texts(item)` as a continuation of the item's prompt under `model`: the
 * continuation is tokenized as the model would write it after the prompt, and scored in batches
 * of similar lengths.
 * The corpus value weights every token equally (as RL4LMs' perplexity metrics do).
 */
export async function continuationPerplexity(
  model: LanguageModelV1,
  items: readonly MetricItemV1[],
  textOf: (item: MetricItemV1) => string,
  batchSize: number,
): Promise<PerplexityResult> {
  const tokenizer = model.tokenizer;
  const rows = items.map((item) => {
    const promptIds = tokenizer.encode(item.prompt ?? '');
    const ids = continuationIds(tokenizer, { ids: promptIds, text: tokenizer.decode(promptIds) }, textOf(item));
    const room = Math.max(0, model.info.maxPositions - promptIds.length);
    return { promptIds, ids: ids.slice(0, room) };
  });
  // Batches of similar lengths: a batch is padded to its longest row, and references vary from a
  // few tokens to the whole context. A row's log-probs do not depend on its batch-mates.
  const order = rows.map((_, i) => i).filter((i) => rows[i].ids.length > 0);
  order.sort((a, b) => rows[a].promptIds.length + rows[a].ids.length - (rows[b].promptIds.length + rows[b].ids.length) || a - b);
  const sums: number[] = rows.map(() => Number.NaN);
  const batches = Array.from({ length: Math.ceil(order.length / batchSize) }, (_, b) => order.slice(b * batchSize, (b + 1) * batchSize));
  // Three batches in flight: a policy that scores on two threads (the trainer's, with a copy on
  // the critic thread) keeps both busy, one batch here and two on the copy's queue; any other
  // model takes them in turn. A batch is scored whole wherever it runs, so the numbers do not
  // depend on who scored it.
  const inFlight = createConcurrencyLimiter(3);
  await Promise.all(
    batches.map((part) =>
      inFlight.run(async () => {
        const scores = await model.scoreTokens(part.map((i) => rows[i].promptIds), part.map((i) => rows[i].ids));
        part.forEach((row, n) => {
          sums[row] = scores[n].slice(0, rows[row].ids.length).reduce((a, b) => a + b, 0);
        });
      }),
    ),
  );
  // Summed in the items' order, so the corpus value does not depend on the batching.
  let totalLogProb = 0;
  let tokens = 0;
  const perItem = rows.map((row, i) => {
    if (row.ids.length === 0) return Number.NaN;
    totalLogProb += sums[i];
    tokens += row.ids.length;
    return Math.exp(-sums[i] / row.ids.length);
  });
  return { corpus: tokens === 0 ? Number.NaN : Math.exp(-totalLogProb / tokens), perItem, tokens };
}
