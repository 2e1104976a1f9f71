import type { DecodingV1, LanguageModelV1 } from '@rlgf/contracts';

export interface PolicyRow {
  readonly promptIds: readonly number[];
  /** Tokens the policy must emit first (a roll-in prefix), possibly empty. */
  readonly forced: readonly number[];
}

export interface PolicyGenerationSettings {
  readonly maxNewTokens: number;
  readonly minNewTokens: number;
  readonly decoding: DecodingV1;
  /** Rows per generate call (bounds memory). */
  readonly batchSize: number;
  /** Seed of chunk c is `seedOf(c)`, so every chunk draws from its own reproducible stream. */
  readonly seedOf: (chunk: number) => number;
}

/** Generates for every row in chunks; returns each row's tokens (forced prefix included, padding cut). */
export async function generateWithPolicy(policy: LanguageModelV1, rows: readonly PolicyRow[], settings: PolicyGenerationSettings): Promise<number[][]> {
  const tokens: number[][] = [];
  for (let start = 0, chunk = 0; start < rows.length; start += settings.batchSize, chunk++) {
    const part = rows.slice(start, start + settings.batchSize);
    const result = await policy.generate({
      promptIds: part.map((row) => row.promptIds),
      forcedPrefixIds: part.map((row) => row.forced),
      maxNewTokens: settings.maxNewTokens,
      minNewTokens: settings.minNewTokens,
      decoding: settings.decoding,
      seed: settings.seedOf(chunk),
    });
    result.ids.forEach((ids, i) => tokens.push(ids.filter((_, j) => result.mask[i][j] === 1)));
  }
  return tokens;
}
