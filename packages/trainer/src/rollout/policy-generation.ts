import type { DecodingV1, GenerateRequestV1, GenerateResultV1, LanguageModelV1 } from '@rlgf/contracts';

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
 * Copies of the policy with its current weights (on a thread of its own): for the same request a
 * copy returns the same tokens as the policy, bit for bit. `beside` runs this thread's share of
 * the work while the copies work (on its share of the kernel threads).
 */
export interface PolicyCopies {
  readonly generators: readonly ((request: GenerateRequestV1) => Promise<Pick<GenerateResultV1, 'ids' | 'mask'>>)[];
  beside<T>(work: () => Promise<T>): Promise<T>;
}

/**
 * Generates for every row in chunks; returns each row's tokens (forced prefix included, padding
 * cut). With `copies`, each chunk goes to whichever generator is free: a chunk's rows and seed
 * do not depend on who generates it, so the tokens are the same as with the policy alone.
 */
export async function generateWithPolicy(policy: LanguageModelV1, rows: readonly PolicyRow[], settings: PolicyGenerationSettings, copies?: PolicyCopies): Promise<number[][]> {
  const chunks = Math.ceil(rows.length / settings.batchSize);
  const tokens: number[][][] = new Array(chunks);
  let next = 0;
  const work = async (generate: PolicyCopies['generators'][number]) => {
    for (let chunk = next++; chunk < chunks; chunk = next++) {
      const part = rows.slice(chunk * settings.batchSize, (chunk + 1) * settings.batchSize);
      const result = await generate({
        promptIds: part.map((row) => row.promptIds),
        forcedPrefixIds: part.map((row) => row.forced),
        maxNewTokens: settings.maxNewTokens,
        minNewTokens: settings.minNewTokens,
        decoding: settings.decoding,
        seed: settings.seedOf(chunk),
      });
      tokens[chunk] = result.ids.map((ids, i) => ids.filter((_, j) => result.mask[i][j] === 1));
    }
  };
  const here = (request: GenerateRequestV1) => policy.generate(request);
  if (copies === undefined || copies.generators.length === 0 || chunks < 2) await work(here);
  // The copies are asked first: their requests are on their way before this thread starts computing.
  else await copies.beside(() => Promise.all([...copies.generators.map(work), work(here)]));
  return tokens.flat();
}
