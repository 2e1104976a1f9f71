/** A parsed JSON object from a tokenizer or config file. */
export type JsonObject = Record<string, unknown>;

/**
 * The tokenizer of a checkpoint in the Hub's format: what `tokenizer.json`,
 * `tokenizer_config.json` and `special_tokens_map.json` hold. Checkpoints that ship GPT-2's
 * `vocab.json` + `merges.txt` instead are converted to a `tokenizer.json` on load, so one code
 * path serves both and every checkpoint written here has a `tokenizer.json`.
 */
export interface TokenizerFiles {
  readonly tokenizerJson: JsonObject;
  /** `tokenizer_config.json` (`{}` when the checkpoint has none). */
  readonly tokenizerConfig: JsonObject;
  /** `special_tokens_map.json` (`{}` when the checkpoint has none). */
  readonly specialTokensMap: JsonObject;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The content of a special-token entry, written either as a string or as an AddedToken object. */
export function specialTokenContent(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (isJsonObject(value) && typeof value['content'] === 'string') return value['content'];
  return undefined;
}

/** BPE merges as tokenizer.json stores them: `"a b"` strings unless a token contains a space. */
export function mergesForJson(merges: readonly (readonly [string, string])[]): (string | [string, string])[] {
  const needPairs = merges.some(([a, b]) => a.includes(' ') || b.includes(' '));
  return merges.map(([a, b]) => (needPairs ? [a, b] : `${a} ${b}`));
}
