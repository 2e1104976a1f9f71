/**
 * Text <-> token ids for one model. Implementations wrap `tokenizer.json`, GPT-2's
 * `vocab.json` + `merges.txt`, or llama2.c's `tok*.bin`.
 */
export interface TokenizerV1 {
  readonly specificationVersion: 'v1';
  /** Number of ids the tokenizer can produce (may be below the model's embedding rows). */
  readonly vocabSize: number;
  /** Beginning-of-sequence id, when the model uses one. */
  readonly bosTokenId?: number;
  /** End-of-sequence id; generation stops there. */
  readonly eosTokenId?: number;
  /** Padding id for batches; falls back to EOS when the model defines none. */
  readonly padTokenId?: number;
  /**
   * Token ids of `text`. With `addSpecialTokens` (default true) the tokenizer adds what its
   * post-processor prescribes (e.g. BOS for Llama), nothing for GPT-2.
   */
  encode(text: string, options?: { readonly addSpecialTokens?: boolean }): number[];
  /** Text of `ids`. With `skipSpecialTokens` (default true) BOS/EOS/pad are dropped. */
  decode(ids: readonly number[], options?: { readonly skipSpecialTokens?: boolean }): string;
}
