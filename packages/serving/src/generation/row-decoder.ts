import type { TokenizerV1 } from '@rlgf/contracts';
import { Rng } from '@rlgf/core';
import { argmax, continuationText, sampleToken, samplingProcessors, suppressTokensProcessor, type LogitsProcessor } from '@rlgf/models';
import type { FinishReason, GeneratedRow, GenerationRow } from './generation-row';
import { cutAtStop } from './stop-strings';

/**
 * The decoding state of one row of a served batch: its own logits processors and random stream
 * (seeded by the row's seed alone, so other rows of the batch never shift its draws), its tokens
 * so far, and why it stopped. Before its `minNewTokens` it never samples EOS (suppressed before
 * the other processors, as the model's `generate` does) and stop strings do not end it (vLLM).
 */
export class RowDecoder {
  private readonly processors: LogitsProcessor[];
  private readonly suppressEos: LogitsProcessor;
  private readonly minNewTokens: number;
  /** Characters of the text of the first `minNewTokens` tokens, which stop strings may not end in. */
  private protectedChars = 0;
  private readonly rng: Rng;
  private readonly ids: number[] = [];
  private finish?: FinishReason;

  constructor(
    private readonly row: GenerationRow,
    private readonly tokenizer: TokenizerV1,
    private readonly eosTokenIds: readonly number[],
  ) {
    this.processors = samplingProcessors(row.decoding);
    this.suppressEos = suppressTokensProcessor(eosTokenIds);
    this.minNewTokens = row.minNewTokens ?? 0;
    // The stream `model.generate` draws for a 32-bit seed; higher bits of larger seeds label it.
    const high = Math.floor(row.seed / 2 ** 32);
    this.rng = high === 0 ? Rng.fromSeed(row.seed, 'generate') : Rng.fromSeed(row.seed % 2 ** 32, 'generate', high);
  }

  get finished(): boolean {
    return this.finish !== undefined;
  }

  /** Picks the next token from this row's next-token logits and appends it. */
  next(logits: Float32Array): number {
    const scores = Float32Array.from(logits);
    if (this.ids.length < this.minNewTokens) this.suppressEos(scores);
    for (const process of this.processors) process(scores);
    const token = this.row.decoding.strategy === 'sample' ? sampleToken(scores, this.rng) : argmax(scores);
    this.ids.push(token);
    const stops = this.row.stop.length > 0;
    if (stops && this.ids.length === this.minNewTokens) this.protectedChars = this.text().length;
    if (this.eosTokenIds.includes(token)) this.finish = 'eos';
    else if (stops && this.ids.length > this.minNewTokens && cutAtStop(this.text(), this.row.stop, this.protectedChars).stopped) this.finish = 'stop';
    else if (this.ids.length >= this.row.maxNewTokens) this.finish = 'length';
    return token;
  }

  result(): GeneratedRow {
    const { text } = cutAtStop(this.text(), this.row.stop, this.protectedChars);
    return { ids: [...this.ids], text, finishReason: this.finish ?? 'length' };
  }

  /** The continuation decoded after the prompt (so a leading space survives), EOS left out. */
  private text(): string {
    const content = this.ids.filter((id) => !this.eosTokenIds.includes(id));
    return continuationText(this.tokenizer, this.row.promptIds, content);
  }
}
