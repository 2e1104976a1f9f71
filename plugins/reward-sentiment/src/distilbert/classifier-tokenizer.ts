import { Tokenizer } from '@huggingface/tokenizers';
import { ModelFormatError } from '@rlgf/contracts';
import type { TokenizerFiles } from '@rlgf/models';

/**
 * Texts to classifier input ids with the checkpoint's `tokenizer.json` (BERT WordPiece for
 * DistilBERT), truncated from the left to the model's length: TRIL's reward tokenizer sets
 * `truncation_side = "left"`, so a long review keeps its end, where the continuation is.
 */
export class ClassifierTokenizer {
  private readonly tokenizer: Tokenizer;
  private readonly leading: number[];
  private readonly trailing: number[];

  constructor(
    files: TokenizerFiles,
    /** Longest input, special tokens included (the model's position count). */
    private readonly maxLength: number,
    source: string,
  ) {
    try {
      this.tokenizer = new Tokenizer(files.tokenizerJson, { ...files.tokenizerConfig, clean_up_tokenization_spaces: false });
    } catch (cause) {
      throw new ModelFormatError({ file: `${source}/tokenizer.json`, message: `cannot be loaded: ${cause instanceof Error ? cause.message : String(cause)}`, hint: 'save the tokenizer again with transformers', cause });
    }
    // Where the post-processor puts the text's own ids ([CLS] text [SEP] for BERT).
    const plain = this.tokenizer.encode('a', { add_special_tokens: false }).ids;
    const full = this.tokenizer.encode('a', { add_special_tokens: true }).ids;
    const offset = full.findIndex((_, start) => plain.every((id, i) => full[start + i] === id));
    if (plain.length === 0 || offset < 0) {
      throw new ModelFormatError({ file: `${source}/tokenizer.json`, message: 'its post-processor does not keep the text tokens in one piece', hint: 'use a BERT-style tokenizer.json' });
    }
    this.leading = full.slice(0, offset);
    this.trailing = full.slice(offset + plain.length);
    if (this.leading.length + this.trailing.length >= maxLength) {
      throw new ModelFormatError({ file: `${source}/config.json`, message: `max_position_embeddings ${maxLength} leaves no room for text`, hint: 'check the checkpoint config' });
    }
  }

  /** Input ids of `text`: special tokens around its last tokens that fit. */
  encode(text: string): number[] {
    const ids = this.tokenizer.encode(text, { add_special_tokens: false }).ids;
    const room = this.maxLength - this.leading.length - this.trailing.length;
    return [...this.leading, ...ids.slice(Math.max(0, ids.length - room)), ...this.trailing];
  }
}
