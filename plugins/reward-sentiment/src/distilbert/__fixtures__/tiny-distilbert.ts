import { Rng } from '@rlgf/core';
import { writeCheckpoint, type HostTensor, type JsonObject } from '@rlgf/models';

// A DistilBertForSequenceClassification small enough to write in a test: 2 layers, width 16,
// 2 heads, 24 positions, a 46-token uncased WordPiece vocabulary. Weights are random from a
// fixed seed, so tests and tools/write-tiny-distilbert.ts write the very same checkpoint, whose
// outputs tools/distilbert_reference.py computed with PyTorch into tiny-distilbert-golden.json.

export const tinyVocab = [
  '[PAD]', '[UNK]', '[CLS]', '[SEP]', '[MASK]', '!', "'", ',', '.', 'a', 'the', 'movie', 'film', 'was', 'is', 'great', 'bad',
  'terrible', 'good', 'not', 'i', 'it', 'love', 'hate', 'plot', 'acting', 'boring', 'fun', 'and', 'but', 'cafe', 'really', 'this',
  'story', 'end', 's', '##s', '##ly', '##ing', '##e', 'act', 'bor', 'wonder', '##ful', 'so', 'very',
];

export const tinyConfig: JsonObject = {
  architectures: ['DistilBertForSequenceClassification'],
  model_type: 'distilbert',
  activation: 'gelu',
  attention_dropout: 0.1,
  dim: 16,
  dropout: 0.1,
  hidden_dim: 32,
  id2label: { '0': 'NEGATIVE', '1': 'POSITIVE' },
  label2id: { NEGATIVE: 0, POSITIVE: 1 },
  initializer_range: 0.02,
  max_position_embeddings: 24,
  n_heads: 2,
  n_layers: 2,
  pad_token_id: 0,
  qa_dropout: 0.1,
  seq_classif_dropout: 0.2,
  sinusoidal_pos_embds: false,
  vocab_size: tinyVocab.length,
};

const special = (id: number, content: string) => ({ id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true });

/** tokenizer.json as transformers saves a BERT-uncased fast tokenizer. */
export function tinyTokenizerJson(): JsonObject {
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: [special(0, '[PAD]'), special(1, '[UNK]'), special(2, '[CLS]'), special(3, '[SEP]'), special(4, '[MASK]')],
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: {
      type: 'TemplateProcessing',
      single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
      pair: [
        { SpecialToken: { id: '[CLS]', type_id: 0 } },
        { Sequence: { id: 'A', type_id: 0 } },
        { SpecialToken: { id: '[SEP]', type_id: 0 } },
        { Sequence: { id: 'B', type_id: 1 } },
        { SpecialToken: { id: '[SEP]', type_id: 1 } },
      ],
      special_tokens: {
        '[CLS]': { id: '[CLS]', ids: [2], tokens: ['[CLS]'] },
        '[SEP]': { id: '[SEP]', ids: [3], tokens: ['[SEP]'] },
      },
    },
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(tinyVocab.map((token, id) => [token, id])),
    },
  };
}

function randomTensor(rng: Rng, shape: number[], scale: number, offset = 0): HostTensor {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(size);
  // Uniform on [-√3, √3)·scale: standard deviation `scale`.
  for (let i = 0; i < size; i += 1) data[i] = offset + scale * Math.sqrt(3) * (2 * rng.nextFloat() - 1);
  return { shape, data };
}

/** Random weights under transformers' parameter names, from a fixed seed. */
export function tinyWeights(seed = 7): Map<string, HostTensor> {
  const rng = Rng.fromSeed(seed, 'tiny-distilbert');
  const dim = 16;
  const hidden = 32;
  const weights = new Map<string, HostTensor>();
  const linear = (name: string, inputs: number, outputs: number) => {
    weights.set(`${name}.weight`, randomTensor(rng, [outputs, inputs], 1 / Math.sqrt(inputs)));
    weights.set(`${name}.bias`, randomTensor(rng, [outputs], 0.1));
  };
  const norm = (name: string) => {
    weights.set(`${name}.weight`, randomTensor(rng, [dim], 0.1, 1));
    weights.set(`${name}.bias`, randomTensor(rng, [dim], 0.1));
  };
  weights.set('distilbert.embeddings.word_embeddings.weight', randomTensor(rng, [tinyVocab.length, dim], 1));
  weights.set('distilbert.embeddings.position_embeddings.weight', randomTensor(rng, [24, dim], 0.5));
  norm('distilbert.embeddings.LayerNorm');
  for (let layer = 0; layer < 2; layer += 1) {
    const prefix = `distilbert.transformer.layer.${layer}`;
    for (const projection of ['q_lin', 'k_lin', 'v_lin', 'out_lin']) linear(`${prefix}.attention.${projection}`, dim, dim);
    norm(`${prefix}.sa_layer_norm`);
    linear(`${prefix}.ffn.lin1`, dim, hidden);
    linear(`${prefix}.ffn.lin2`, hidden, dim);
    norm(`${prefix}.output_layer_norm`);
  }
  linear('pre_classifier', dim, dim);
  linear('classifier', dim, 2);
  return weights;
}

/** Writes the tiny checkpoint (config.json, model.safetensors, tokenizer files) to `dir`. */
export async function writeTinyDistilBert(dir: string): Promise<void> {
  await writeCheckpoint(dir, {
    config: tinyConfig,
    weights: tinyWeights(),
    tokenizerFiles: {
      tokenizerJson: tinyTokenizerJson(),
      tokenizerConfig: { do_lower_case: true, model_max_length: 24, tokenizer_class: 'DistilBertTokenizer', cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]', mask_token: '[MASK]' },
      specialTokensMap: { cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]', mask_token: '[MASK]' },
    },
  });
}
