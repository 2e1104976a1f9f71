import type { DecodingV1, LanguageModelV1 } from '@rlgf/contracts';
import { sharePolicy, type PolicyCopies } from '../policy-copies/share-policy';

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

/**
 * Generates for every row in chunks; returns each row's tokens (forced prefix included, padding
 * cut). With `copies`, the chunks are shared with them ({@link sharePolicy}): a chunk's rows and
 * seed do not depend on who generates it, so the tokens are the same as with the policy alone.
 */
export async function generateWithPolicy(policy: LanguageModelV1, rows: readonly PolicyRow[], settings: PolicyGenerationSettings, copies?: PolicyCopies): Promise<number[][]> {
  const shared = sharePolicy(policy, copies);
  const chunks = Array.from({ length: Math.ceil(rows.length / settings.batchSize) }, (_, chunk) => rows.slice(chunk * settings.batchSize, (chunk + 1) * settings.batchSize));
  // All chunks are asked at once; the shared policy runs as many at a time as it has copies and
  // this thread, so memory stays that of a chunk per worker.
  const tokens = await Promise.all(
    chunks.map(async (part, chunk) => {
      const result = await shared.generate({
        promptIds: part.map((row) => row.promptIds),
        forcedPrefixIds: part.map((row) => row.forced),
        maxNewTokens: settings.maxNewTokens,
        minNewTokens: settings.minNewTokens,
        decoding: settings.decoding,
        seed: settings.seedOf(chunk),
      });
      return result.ids.map((ids, i) => ids.filter((_, j) => result.mask[i][j] === 1));
    }),
  );
  return tokens.flat();
}
