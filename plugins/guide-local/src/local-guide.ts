import type {
  DecodingV1,
  GuideGenerateOptionsV1,
  GuideGenerateResultV1,
  GuideOutputV1,
  GuideTokenizationV1,
  GuideV1,
  LanguageModelV1,
  TokenizerV1,
} from '@rlgf/contracts';
import { deriveSeed, minNewTokensAt } from '@rlgf/core';
import { continuationText } from '@rlgf/models';

/** Probe texts: two tokenizers that encode all of them alike are treated as the same. */
const probes = ['Hello world.', ' The movie was great, wasn\'t it?', 'Once upon a time, 3 cats ran.\n', 'naïve café'];

/** True when `guide` encodes like `policy` (same vocabulary size and the same ids on probe texts). */
export function sameTokenizer(guide: TokenizerV1, policy: TokenizerV1): boolean {
  return (
    guide.vocabSize === policy.vocabSize &&
    guide.eosTokenId === policy.eosTokenId &&
    probes.every((text) => JSON.stringify(guide.encode(text)) === JSON.stringify(policy.encode(text)))
  );
}

/**
 * A guide that samples from its own frozen model, loaded separately from the policy (it never
 * shares variables with it, so training the policy cannot change it).
 */
export class LocalGuide implements GuideV1 {
  readonly specificationVersion = 'v1';
  readonly id = 'local';

  constructor(
    private readonly model: LanguageModelV1,
    readonly tokenization: GuideTokenizationV1,
    private readonly decoding: DecodingV1,
    private readonly batchSize: number,
  ) {}

  async doGenerate(options: GuideGenerateOptionsV1): Promise<GuideGenerateResultV1> {
    if (this.model.info.isEncoderDecoder) return this.continueOnDecoder(options);
    const tokenizer = this.model.tokenizer;
    const contexts = options.inputs.map((input) =>
      this.tokenization === 'shared' && input.promptIds !== undefined
        ? [...input.promptIds, ...(input.prefixIds ?? [])]
        : tokenizer.encode(input.promptText + (input.prefixText ?? '')),
    );
    const outputs: GuideOutputV1[] = [];
    for (let start = 0; start < contexts.length; start += this.batchSize) {
      const part = contexts.slice(start, start + this.batchSize);
      const result = await this.model.generate({
        promptIds: part,
        maxNewTokens: options.maxNewTokens,
        minNewTokens: part.map((_, i) => Math.min(minNewTokensAt(options.minNewTokens, start + i), options.maxNewTokens)),
        decoding: this.decoding,
        seed: deriveSeed(options.seed, 'local-guide', start),
      });
      result.ids.forEach((row, i) => {
        const ids = row.filter((_, j) => result.mask[i][j] === 1);
        outputs.push({ status: 'ok', ids, text: continuationText(tokenizer, part[i], ids) });
      });
    }
    return { outputs, warnings: [] };
  }

  /**
   * An encoder-decoder guide reads the prompt with its encoder; the learner's prefix is what its
   * decoder has written so far, so it is forced on the decoder and the guide continues after it.
   */
  private async continueOnDecoder(options: GuideGenerateOptionsV1): Promise<GuideGenerateResultV1> {
    const tokenizer = this.model.tokenizer;
    const rows = options.inputs.map((input) =>
      this.tokenization === 'shared' && input.promptIds !== undefined
        ? { prompt: [...input.promptIds], prefix: [...(input.prefixIds ?? [])] }
        : { prompt: tokenizer.encode(input.promptText), prefix: input.prefixText ? tokenizer.encode(input.prefixText, { addSpecialTokens: false }) : [] },
    );
    const outputs: GuideOutputV1[] = [];
    for (let start = 0; start < rows.length; start += this.batchSize) {
      const part = rows.slice(start, start + this.batchSize);
      const longestPrefix = Math.max(...part.map((row) => row.prefix.length));
      const maxNewTokens = longestPrefix + options.maxNewTokens;
      const result = await this.model.generate({
        promptIds: part.map((row) => row.prompt),
        forcedPrefixIds: part.map((row) => row.prefix),
        maxNewTokens,
        // The decoder's minimum counts the forced prefix too.
        minNewTokens: part.map((row, i) => Math.min(row.prefix.length + minNewTokensAt(options.minNewTokens, start + i), maxNewTokens)),
        decoding: this.decoding,
        seed: deriveSeed(options.seed, 'local-guide', start),
      });
      result.ids.forEach((row, i) => {
        const { prompt, prefix } = part[i];
        const ids = row.filter((_, j) => result.mask[i][j] === 1).slice(prefix.length, prefix.length + options.maxNewTokens);
        outputs.push({ status: 'ok', ids, text: continuationText(tokenizer, [...prompt, ...prefix], ids) });
      });
    }
    return { outputs, warnings: [] };
  }

  async close(): Promise<void> {
    this.model.dispose();
  }
}
