import { Tokenizer } from '@huggingface/tokenizers';
import { InvalidArgumentError, ModelFormatError } from '@rlgf/contracts';
import type { TokenizerV1 } from '@rlgf/contracts';
import { resolveSpecialTokenIds } from './special-token-ids';
import type { JsonObject, TokenizerFiles } from './tokenizer-files';

export interface CreateTokenizerOptions {
  /** The model's `config.json`: fallback for BOS/EOS/pad ids. */
  readonly modelConfig?: JsonObject;
  /** Names the tokenizer in error messages (a directory or Hub id). */
  readonly source?: string;
}

class HfTokenizer implements TokenizerV1 {
  readonly specificationVersion = 'v1' as const;
  readonly vocabSize: number;
  readonly bosTokenId?: number;
  readonly eosTokenId?: number;
  readonly padTokenId?: number;
  private readonly specialIds: ReadonlySet<number>;

  constructor(
    private readonly tokenizer: Tokenizer,
    files: TokenizerFiles,
    modelConfig: JsonObject,
  ) {
    const ids = [...tokenizer.get_vocab(true).values()];
    this.vocabSize = ids.length === 0 ? 0 : Math.max(...ids) + 1;
    const special = resolveSpecialTokenIds(files, modelConfig, (token) => tokenizer.token_to_id(token));
    this.bosTokenId = special.bosTokenId;
    this.eosTokenId = special.eosTokenId;
    this.padTokenId = special.padTokenId;
    const added = [...tokenizer.get_added_tokens_decoder().values()].filter((token) => token.special).map((token) => token.id);
    this.specialIds = new Set([...added, ...[special.bosTokenId, special.eosTokenId, special.padTokenId].filter((id) => id !== undefined)]);
  }

  encode(text: string, options?: { readonly addSpecialTokens?: boolean }): number[] {
    return this.tokenizer.encode(text, { add_special_tokens: options?.addSpecialTokens ?? true }).ids;
  }

  decode(ids: readonly number[], options?: { readonly skipSpecialTokens?: boolean }): string {
    for (const id of ids) {
      if (!Number.isInteger(id) || id < 0 || id >= this.vocabSize) {
        throw new InvalidArgumentError({ argument: 'token id', value: id, expected: `an integer in [0, ${this.vocabSize})` });
      }
    }
    const kept = (options?.skipSpecialTokens ?? true) ? ids.filter((id) => !this.specialIds.has(id)) : [...ids];
    // The library refuses an empty list; the text of no tokens is the empty string.
    return kept.length === 0 ? '' : this.tokenizer.decode(kept, { skip_special_tokens: false });
  }
}

/**
 * A TokenizerV1 over a Hub `tokenizer.json`, run by `@huggingface/tokenizers` (Hugging Face's
 * pure-JS port of the Rust `tokenizers` pipeline: normalizers, pre-tokenizers, BPE/Unigram/
 * WordPiece, post-processors, decoders).
 */
export function createTokenizer(files: TokenizerFiles, options: CreateTokenizerOptions = {}): TokenizerV1 {
  // transformers no longer cleans up spaces before punctuation unless the tokenizer asks for it,
  // and decoding must invert encoding; the library's own default is the old one.
  const config = { ...files.tokenizerConfig, clean_up_tokenization_spaces: files.tokenizerConfig['clean_up_tokenization_spaces'] === true };
  let tokenizer: Tokenizer;
  try {
    tokenizer = new Tokenizer(files.tokenizerJson, config);
  } catch (cause) {
    throw new ModelFormatError({
      file: `${options.source ? `${options.source}/` : ''}tokenizer.json`,
      message: `cannot be loaded: ${cause instanceof Error ? cause.message : String(cause)}`,
      hint: 'the file is corrupt or uses a tokenizer component @huggingface/tokenizers does not support',
      cause,
    });
  }
  return new HfTokenizer(tokenizer, files, options.modelConfig ?? {});
}
