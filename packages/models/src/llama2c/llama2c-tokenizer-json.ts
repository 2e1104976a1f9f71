import { ModelFormatError } from '@rlgf/contracts';
import { mergesForJson, type TokenizerFiles } from '../tokenizers/tokenizer-files';
import type { Llama2cTokenizer } from './read-llama2c-tokenizer';

const specialTokens = ['<unk>', '<s>', '</s>'];
const firstByteId = 3;
const firstPieceId = firstByteId + 256;
const metaspace = '\u2581';

const byteToken = (byte: number) => `<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`;

/**
 * BPE merges equivalent to run.c's encoder. run.c repeatedly merges the adjacent pair whose
 * concatenation is the best-scoring vocabulary entry (leftmost on ties); HF's BPE merges the
 * pair with the lowest merge rank (leftmost on ties). Listing, for every piece, each split into
 * two pieces, ordered by the piece's score, makes the two agree (transformers' SentencePiece
 * converter builds Llama merges the same way). Splits of one piece are ordered by the ids of
 * their halves; they could only disagree with run.c where two splits of one piece overlap in
 * the text (`ab|a` against `a|ba`), which the fixture corpus checks against run.c itself.
 */
function mergesFromScores(vocab: ReadonlyMap<string, number>, scores: readonly number[]): [string, string][] {
  const ranked: { score: number; id: number; left: number; right: number; pair: [string, string] }[] = [];
  for (const [piece, id] of vocab) {
    if (id < firstPieceId) continue;
    const chars = [...piece];
    for (let split = 1; split < chars.length; split += 1) {
      const left = chars.slice(0, split).join('');
      const right = chars.slice(split).join('');
      const leftId = vocab.get(left);
      const rightId = vocab.get(right);
      if (leftId !== undefined && rightId !== undefined && leftId >= firstPieceId && rightId >= firstPieceId) {
        ranked.push({ score: scores[id], id, left: leftId, right: rightId, pair: [left, right] });
      }
    }
  }
  ranked.sort((a, b) => b.score - a.score || a.id - b.id || a.left - b.left || a.right - b.right);
  return ranked.map((merge) => merge.pair);
}

/**
 * The Hub tokenizer files of a llama2.c tokenizer, laid out as transformers' Llama converter
 * writes them (legacy SentencePiece behaviour): normalizer prepends ▁ and turns spaces into ▁
 * (run.c's dummy prefix, added only to non-empty text), no pre-tokenizer (merges may cross
 * spaces, as in run.c), BPE with byte fallback to `<0x00>`..`<0xFF>` (ids 3..258), BOS added
 * first, and a decoder that maps ▁ back to spaces, fuses byte tokens into UTF-8 and strips one
 * leading space.
 */
export function llama2cTokenizerFiles(tokenizer: Llama2cTokenizer, maxLength: number, file: string): TokenizerFiles {
  const fail = (message: string): never => {
    throw new ModelFormatError({ file, message, hint: 'llama2.c tokenizers have <unk>, <s>, </s>, then the 256 byte tokens <0x00>..<0xFF>' });
  };
  const vocab = new Map<string, number>();
  tokenizer.pieces.forEach((piece, id) => {
    let token = piece.text.replaceAll(' ', metaspace);
    if (id < firstByteId) token = specialTokens[id];
    else if (id < firstPieceId && token !== byteToken(id - firstByteId)) fail(`token ${id} is ${JSON.stringify(piece.text)}, expected ${byteToken(id - firstByteId)}`);
    if (vocab.has(token)) fail(`token ${JSON.stringify(piece.text)} appears twice (ids ${vocab.get(token)} and ${id})`);
    vocab.set(token, id);
  });
  if (vocab.size < firstPieceId) fail(`has ${vocab.size} tokens, fewer than the ${firstPieceId} special and byte tokens`);
  const merges = mergesFromScores(
    vocab,
    tokenizer.pieces.map((piece) => piece.score),
  );
  const special = (content: string, id: number) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  const tokenizerJson = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: specialTokens.map((content, id) => special(content, id)),
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'Prepend', prepend: metaspace },
        { type: 'Replace', pattern: { String: ' ' }, content: metaspace },
      ],
    },
    pre_tokenizer: null,
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '<s>', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '<s>', type_id: 1 } },
        { Sequence: { id: 'B', type_id: 1 } },
      ],
      special_tokens: { '<s>': { id: '<s>', ids: [1], tokens: ['<s>'] } },
    },
    decoder: {
      type: 'Sequence',
      decoders: [
        { type: 'Replace', pattern: { String: metaspace }, content: ' ' },
        { type: 'ByteFallback' },
        { type: 'Fuse' },
        { type: 'Strip', content: ' ', start: 1, stop: 0 },
      ],
    },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: '<unk>',
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: true,
      byte_fallback: true,
      ignore_merges: false,
      vocab: Object.fromEntries(vocab),
      merges: mergesForJson(merges),
    },
  };
  const specialTokensMap = { bos_token: '<s>', eos_token: '</s>', unk_token: '<unk>' };
  const tokenizerConfig = {
    ...specialTokensMap,
    add_bos_token: true,
    add_eos_token: false,
    clean_up_tokenization_spaces: false,
    legacy: true,
    model_max_length: maxLength,
    // The generic fast tokenizer runs tokenizer.json exactly as written.
    tokenizer_class: 'PreTrainedTokenizerFast',
  };
  return { tokenizerJson, tokenizerConfig, specialTokensMap };
}
