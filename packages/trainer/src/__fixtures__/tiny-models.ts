import type { GuideGenerateOptionsV1, GuideGenerateResultV1, GuideV1, LanguageModelV1, MetricV1, RewardFunctionV1, TaskSampleV1, TokenizerV1 } from '@rlgf/contracts';
import { createRandomLanguageModel, Critic, valueHeadWeightNames, type TokenizerFiles, type TrainableLanguageModel } from '@rlgf/models';
import type { RolloutSample, Writer } from '../rollout/rollout-sample';

// Small real models and scripted collaborators for unit tests of the orchestration code: a
// one-layer Llama with random weights over a letter vocabulary, a guide that writes what it is
// told, and a reward that counts a letter.

const letters = 'abcdefghijklmnopqrstuvwxyz'.split('');
export const PAD = 0;
export const BOS = 1;
export const EOS = 2;
/** Token id of a letter. */
export const id = (letter: string): number => 3 + letters.indexOf(letter);

/** Words are single letters separated by spaces; ids 0-2 are pad, BOS and EOS. */
export const letterTokenizer: TokenizerV1 = {
  specificationVersion: 'v1',
  vocabSize: 3 + letters.length,
  bosTokenId: BOS,
  eosTokenId: EOS,
  padTokenId: PAD,
  encode: (text, options) => [...(options?.addSpecialTokens === false ? [] : [BOS]), ...text.split(/\s+/).filter(Boolean).map((word) => id(word[0]))],
  decode: (ids, options) =>
    ids
      .filter((token) => token >= 3 || options?.skipSpecialTokens === false)
      .map((token) => (token >= 3 ? letters[token - 3] : `<${token}>`))
      .map((word, i) => (i === 0 ? word : ` ${word}`))
      .join(''),
};

/** A one-layer Llama (hidden 16) with random weights; `tied: false` gives it a separate LM head. */
export function tinyLlama(seed: number, options: { tied?: boolean } = {}): TrainableLanguageModel {
  const config = {
    model_type: 'llama',
    vocab_size: letterTokenizer.vocabSize,
    hidden_size: 16,
    intermediate_size: 32,
    num_hidden_layers: 1,
    num_attention_heads: 2,
    num_key_value_heads: 2,
    max_position_embeddings: 64,
    tie_word_embeddings: options.tied ?? true,
    bos_token_id: BOS,
    eos_token_id: EOS,
  };
  return createRandomLanguageModel(config, letterTokenizer, { seed, std: 0.5, tokenizerFiles: letterTokenizerFiles });
}

/** The same vocabulary as a word-level `tokenizer.json`, so that the tiny models can be saved. */
const letterTokenizerFiles: TokenizerFiles = {
  tokenizerJson: {
    version: '1.0',
    added_tokens: ['<pad>', '<s>', '</s>'].map((content, i) => ({ id: i, content, special: true, single_word: false, lstrip: false, rstrip: false, normalized: false })),
    normalizer: null,
    pre_tokenizer: { type: 'WhitespaceSplit' },
    decoder: null,
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [{ Sequence: { id: 'A', type_id: 0 } }, { Sequence: { id: 'B', type_id: 0 } }],
      special_tokens: { '<s>': { id: '<s>', ids: [BOS], tokens: ['<s>'] } },
    },
    model: { type: 'WordLevel', vocab: Object.fromEntries(['<pad>', '<s>', '</s>', ...letters].map((token, i) => [token, i])), unk_token: '<pad>' },
  },
  tokenizerConfig: { bos_token: '<s>', eos_token: '</s>', pad_token: '<pad>' },
  specialTokensMap: { bos_token: '<s>', eos_token: '</s>', pad_token: '<pad>' },
};

/** A critic whose head predicts `bias` everywhere (zero weights), on the policy's trunk or a copy. */
export function constantCritic(trunk: TrainableLanguageModel, bias: number, shared = true): Critic {
  const head = new Map([
    [valueHeadWeightNames.weight, { shape: [1, trunk.hiddenSize], data: new Float32Array(trunk.hiddenSize) }],
    [valueHeadWeightNames.bias, { shape: [1], data: Float32Array.of(bias) }],
  ]);
  return new Critic({ trunk: shared ? 'shared' : 'separate', trunkFrom: trunk, head });
}

export function taskSample(index: number, prompt = 'q r s'): TaskSampleV1 {
  return { id: `train-${index}`, prompt, references: ['a b c d e f'] };
}

/** A rollout sample written by `writers` (one per token). */
export function rolloutSample(index: number, tokens: readonly string[], writers: readonly Writer[], switchStep: number): RolloutSample {
  const task = taskSample(index);
  return { task, promptIds: letterTokenizer.encode(task.prompt), tokens: tokens.map(id), writers, switchStep, excluded: false };
}

/** A reward of `scale` × the number of `letter` tokens in the generation. */
export function letterCountReward(letter: string, scale = 1): RewardFunctionV1 {
  return {
    specificationVersion: 'v1',
    id: 'letter-count',
    granularity: 'terminal',
    async doScore({ samples }) {
      return { scores: samples.map((s) => scale * (s.generationIds ?? []).filter((token) => token === id(letter)).length), warnings: [] };
    },
  };
}

/**
 * The policy's mean log-prob of each item's first reference after its prompt, every item scored
 * on its own and all asked at once (as a metric of the policy that lets the evaluation share it).
 */
export function referenceLogProbMetric(): MetricV1 {
  return {
    specificationVersion: 'v1',
    id: 'reference-log-prob',
    reference: 'test fixture',
    higherIsBetter: true,
    async doCompute({ items, policy }) {
      if (policy === undefined) throw new Error('reference-log-prob: evaluated without the policy');
      const scores = await Promise.all(items.map((item) => policy.scoreTokens([letterTokenizer.encode(item.prompt ?? '')], [letterTokenizer.encode(item.references[0] ?? 'a')])));
      const logProbs = scores.flatMap((rows) => rows[0]);
      return { corpus: { 'reference-log-prob': logProbs.reduce((a, b) => a + b, 0) / logProbs.length }, warnings: [] };
    },
  };
}

/**
 * A shared-tokenizer guide that writes `letter` repeatedly; with `stopAfter` it ends with EOS after
 * that many tokens whatever it is asked (a guide that ignores the minimum length). It records the
 * requests it got.
 */
export class ScriptedGuide implements GuideV1 {
  readonly specificationVersion = 'v1';
  readonly id = 'scripted';
  readonly tokenization = 'shared';
  readonly requests: GuideGenerateOptionsV1[] = [];

  constructor(private readonly letter: string, private readonly stopAfter?: number) {}

  async doGenerate(options: GuideGenerateOptionsV1): Promise<GuideGenerateResultV1> {
    this.requests.push(options);
    return {
      outputs: options.inputs.map(() => {
        const count = Math.min(options.maxNewTokens, this.stopAfter ?? options.maxNewTokens);
        const ids = [...new Array<number>(count).fill(id(this.letter)), ...(count < options.maxNewTokens && this.stopAfter !== undefined ? [EOS] : [])];
        return { status: 'ok' as const, ids, text: ids.filter((t) => t !== EOS).map(() => ` ${this.letter}`).join('') };
      }),
      warnings: [],
    };
  }
}

/**
 * A policy that writes a fixed script of tokens after any forced prefix (as far as maxNewTokens,
 * stopping after an EOS id); enough for the roll-out orchestration, which only reads its tokens.
 */
export function scriptedPolicy(script: readonly number[], eosTokenIds: readonly number[] = [EOS]): LanguageModelV1 {
  return {
    specificationVersion: 'v1',
    info: { modelType: 'scripted', vocabSize: letterTokenizer.vocabSize, maxPositions: 64, isEncoderDecoder: false, parameterCount: 0 },
    tokenizer: letterTokenizer,
    async generate(request) {
      const rows = request.promptIds.map((_, row) => {
        const all = [...(request.forcedPrefixIds?.[row] ?? []), ...script].slice(0, request.maxNewTokens);
        const end = all.findIndex((token) => eosTokenIds.includes(token));
        return end < 0 ? all : all.slice(0, end + 1);
      });
      const pad = (row: readonly number[], fill: number) => [...row, ...new Array<number>(request.maxNewTokens - row.length).fill(fill)];
      return { ids: rows.map((row) => pad(row, PAD)), logProbs: rows.map((row) => pad(row.map(() => 0), 0)), mask: rows.map((row) => pad(row.map(() => 1), 0)) };
    },
    async scoreTokens() {
      throw new Error('a scripted policy does not score');
    },
    dispose: () => undefined,
  };
}

/** A guide whose every sample fails, as an unreachable endpoint's would after retries. */
export class FailingGuide implements GuideV1 {
  readonly specificationVersion = 'v1';
  readonly id = 'failing';
  readonly tokenization = 'shared';

  async doGenerate(options: GuideGenerateOptionsV1): Promise<GuideGenerateResultV1> {
    return { outputs: options.inputs.map(() => ({ status: 'failed' as const, reason: 'connection refused (after 3 attempts)' })), warnings: [] };
  }
}
