import type { GuideInputV1, GuideUsageV1, GuideV1, TokenizerV1 } from '@rlgf/contracts';
import { continuationIds, continuationText } from '@rlgf/models';

export interface GuideRow {
  readonly promptIds: readonly number[];
  /** What the learner wrote so far (the guide continues after it). */
  readonly prefix: readonly number[];
}

export type GuideContinuation = { readonly ok: true; readonly ids: number[] } | { readonly ok: false; readonly reason: string };

export interface GuideAnswers {
  /** Aligned with the rows. */
  readonly continuations: GuideContinuation[];
  /** What the call cost, where the guide reports it (remote guides). */
  readonly usage?: GuideUsageV1;
}

/**
 * Asks the guide to continue each row, and returns the continuation in policy tokens. A guide
 * sharing the policy's tokenizer exchanges ids; a text guide gets the decoded prompt and prefix
 * and its text answer is re-tokenized with the policy tokenizer (see `continuationIds`), so
 * switch steps are always counted in policy tokens.
 */
export async function continueWithGuide(
  guide: GuideV1,
  tokenizer: TokenizerV1,
  rows: readonly GuideRow[],
  options: { readonly maxNewTokens: number; readonly minNewTokens?: readonly number[]; readonly seed: number },
): Promise<GuideAnswers> {
  if (rows.length === 0) return { continuations: [] };
  const inputs: GuideInputV1[] = rows.map((row) => ({
    promptText: tokenizer.decode(row.promptIds),
    promptIds: row.promptIds,
    prefixText: continuationText(tokenizer, row.promptIds, row.prefix),
    prefixIds: row.prefix,
  }));
  const result = await guide.doGenerate({ inputs, maxNewTokens: options.maxNewTokens, minNewTokens: options.minNewTokens, seed: options.seed });
  const continuations = rows.map((row, i): GuideContinuation => {
    const output = result.outputs[i];
    if (output === undefined) return { ok: false, reason: 'the guide returned fewer outputs than inputs' };
    if (output.status === 'failed') return { ok: false, reason: output.reason };
    if (guide.tokenization === 'shared') {
      if (output.ids === undefined) return { ok: false, reason: 'a shared-tokenizer guide returned no ids' };
      return { ok: true, ids: output.ids.slice(0, options.maxNewTokens) };
    }
    const context = [...row.promptIds, ...row.prefix];
    const ids = continuationIds(tokenizer, { ids: context, text: tokenizer.decode(context) }, output.text);
    return { ok: true, ids: ids.slice(0, options.maxNewTokens) };
  });
  return { continuations, usage: result.usage };
}
