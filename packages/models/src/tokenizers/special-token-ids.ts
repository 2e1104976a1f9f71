import { specialTokenContent, type JsonObject } from './tokenizer-files';

export interface SpecialTokenIds {
  readonly bosTokenId?: number;
  readonly eosTokenId?: number;
  readonly padTokenId?: number;
}

function configId(value: unknown): number | undefined {
  // Some configs list several EOS ids (e.g. end of text and end of turn): the first is the main one.
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'number' && Number.isSafeInteger(first) && first >= 0 ? first : undefined;
}

/**
 * BOS/EOS/pad ids as transformers resolves them: the token named in `special_tokens_map.json`,
 * else in `tokenizer_config.json`, looked up in the vocabulary; else the id in the model's
 * `config.json`. Pad falls back to EOS, since batches need some id to pad with.
 */
export function resolveSpecialTokenIds(
  files: { readonly tokenizerConfig: JsonObject; readonly specialTokensMap: JsonObject },
  modelConfig: JsonObject,
  tokenToId: (token: string) => number | undefined,
): SpecialTokenIds {
  const resolve = (role: 'bos' | 'eos' | 'pad'): number | undefined => {
    for (const source of [files.specialTokensMap, files.tokenizerConfig]) {
      const content = specialTokenContent(source[`${role}_token`]);
      const id = content === undefined ? undefined : tokenToId(content);
      if (id !== undefined) return id;
    }
    return configId(modelConfig[`${role}_token_id`]);
  };
  const eosTokenId = resolve('eos');
  return { bosTokenId: resolve('bos'), eosTokenId, padTokenId: resolve('pad') ?? eosTokenId };
}
