import type { TokenizerV1 } from '@rlgf/contracts';
import { Rng } from '@rlgf/core';
import { continuationText, samplingProcessors, type LogitsProcessor } from '@rlgf/models';
import type { FinishReason, GeneratedRow, GenerationRow } from './generation-row';
import { cutAtStop } from './stop-strings';

/** Index of the largest score (the first on ties). */
function argmax(scores: Float32Array): number {
  let best = 0;
  for (let i = 1; i < scores.length; i++) if (scores[i] > scores[best]) best = i;
  return best;
}

/**
 * A draw from softmax(scores) by inverting the CDF at `u` in [0, 1): the same arithmetic as the
 * model's own sampler, so a batch of one row samples what `model.generate` samples.
 */
function drawFromScores(scores: Float32Array, u: number): number {
  let max = -Infinity;
  for (const score of scores) if (score > max) max = score;
  const probabilities = new Float64Array(scores.length);
  let total = 0;
  for (let i = 0; i < scores.length; i++) {
    probabilities[i] = scores[i] === -Infinity ? 0 : Math.exp(scores[i] - max);
    total += probabilities[i];
  }
  for (let i = 0; i < probabilities.length; i++) probabilities[i] /= total;
  let cumulative = 0;
  let last = 0;
  for (let i = 0; i < probabilities.length; i++) {
    if (probabilities[i] === 0) continue;
    cumulative += probabilities[i];
    last = i;
    if (u < cumulative) return i;
  }
  return last;
}

/**
 * The decoding state of one row of a served batch: its own logits processors and random stream
 * (seeded by the row's seed alone, so other rows of the batch never shift its draws), its tokens
 * so far, and why it stopped.
 */
export class RowDecoder {
  private readonly processors: LogitsProcessor[];
  private readonly rng: Rng;
  private readonly ids: number[] = [];
  private finish?: FinishReason;

  constructor(
    private readonly row: GenerationRow,
    private readonly tokenizer: TokenizerV1,
    private readonly eosTokenIds: readonly number[],
  ) {
    this.processors = samplingProcessors(row.decoding);
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
    for (const process of this.processors) process(scores);
    const token = this.row.decoding.strategy === 'sample' ? drawFromScores(scores, this.rng.nextFloat()) : argmax(scores);
    this.ids.push(token);
    if (this.eosTokenIds.includes(token)) this.finish = 'eos';
    else if (this.row.stop.length > 0 && cutAtStop(this.text(), this.row.stop).stopped) this.finish = 'stop';
    else if (this.ids.length >= this.row.maxNewTokens) this.finish = 'length';
    return token;
  }

  result(): GeneratedRow {
    const { text } = cutAtStop(this.text(), this.row.stop);
    return { ids: [...this.ids], text, finishReason: this.finish ?? 'length' };
  }

  /** The continuation decoded after the prompt (so a leading space survives), EOS left out. */
  private text(): string {
    const content = this.ids.filter((id) => !this.eosTokenIds.includes(id));
    return continuationText(this.tokenizer, this.row.promptIds, content);
  }
}
