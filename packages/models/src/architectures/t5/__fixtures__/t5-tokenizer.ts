import type { TokenizerFiles } from '../../../tokenizers/tokenizer-files';

const words = ['the', 'cat', 'dog', 'sat', 'on', 'mat', 'a', 'ran', 'to', 'park', 'and', 'with', 'ball', 'play', 'red', 'big', 'is', 'in', 'boy', 'girl', 'sun', 'tree'];
const pieces = [...words.map((word) => `▁${word}`), 's', 'ed', 'ing', 'er', '.', ','];

/**
 * A 32-piece SentencePiece-unigram `tokenizer.json` laid out as T5's (`<pad>` 0, `</s>` 1,
 * `<unk>` 2; Metaspace pre-tokenizer and decoder; `</s>` appended to every encoded text), sized
 * for the golden fixtures' 32-token vocabulary.
 */
export function t5TestTokenizerFiles(): TokenizerFiles {
  const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });
  const metaspace = { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true };
  return {
    tokenizerJson: {
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: [special(0, '<pad>'), special(1, '</s>'), special(2, '<unk>')],
      normalizer: { type: 'Sequence', normalizers: [{ type: 'NFKC' }, { type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' }] },
      pre_tokenizer: metaspace,
      post_processor: {
        type: 'TemplateProcessing',
        single: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
        pair: [{ Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }, { Sequence: { id: 'B', type_id: 0 } }, { SpecialToken: { id: '</s>', type_id: 0 } }],
        special_tokens: { '</s>': { id: '</s>', ids: [1], tokens: ['</s>'] } },
      },
      decoder: metaspace,
      model: {
        type: 'Unigram',
        unk_id: 2,
        vocab: [['<pad>', 0], ['</s>', 0], ['<unk>', 0], ['▁', -3], ...pieces.map((piece) => [piece, piece.startsWith('▁') ? -5 : -7])],
        byte_fallback: false,
      },
    },
    tokenizerConfig: { eos_token: '</s>', pad_token: '<pad>', unk_token: '<unk>', tokenizer_class: 'T5TokenizerFast' },
    specialTokensMap: { eos_token: '</s>', pad_token: '<pad>', unk_token: '<unk>' },
  };
}
