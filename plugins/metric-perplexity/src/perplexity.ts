import type { LanguageModelV1, MetricItemV1 } from '@rlgf/contracts';
import { continuationIds } from '@rlgf/models';

export interface PerplexityResult {
  /** exp of the mean negative log-likelihood over all scored tokens of the corpus. */
  readonly corpus: number;
  /** exp of each item's mean negative log-likelihood (NaN for an item without tokens). */
  readonly perItem: number[];
  readonly tokens: number;
}

/**
 * Perplexity of `texts(item)` as a continuation of the item's prompt under `model`: the
 * continuation is tokenized as the model would write it after the prompt, and scored in batches.
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
  const perItem: number[] = [];
  let totalLogProb = 0;
  let tokens = 0;
  for (let start = 0; start < rows.length; start += batchSize) {
    const part = rows.slice(start, start + batchSize).filter((row) => row.ids.length > 0);
    const scores = part.length > 0 ? await model.scoreTokens(part.map((r) => r.promptIds), part.map((r) => r.ids)) : [];
    let next = 0;
    for (const row of rows.slice(start, start + batchSize)) {
      if (row.ids.length === 0) {
        perItem.push(Number.NaN);
        continue;
      }
      const logProbs = scores[next++].slice(0, row.ids.length);
      const sum = logProbs.reduce((a, b) => a + b, 0);
      perItem.push(Math.exp(-sum / row.ids.length));
      totalLogProb += sum;
      tokens += row.ids.length;
    }
  }
  return { corpus: tokens === 0 ? Number.NaN : Math.exp(-totalLogProb / tokens), perItem, tokens };
}
