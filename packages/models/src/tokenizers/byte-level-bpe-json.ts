import { ModelFormatError } from '@rlgf/contracts';
import { isJsonObject, mergesForJson, type JsonObject } from './tokenizer-files';

/** `vocab.json`: token to id, every id a distinct non-negative integer. */
export function parseVocabJson(json: unknown, file: string): Map<string, number> {
  if (!isJsonObject(json)) throw new ModelFormatError({ file, message: 'is not a JSON object of token to id', hint: 'download the checkpoint again' });
  const vocab = new Map<string, number>();
  const seen = new Set<number>();
  for (const [token, id] of Object.entries(json)) {
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0 || seen.has(id)) {
      throw new ModelFormatError({ file, message: `token ${JSON.stringify(token)} has an invalid or repeated id ${JSON.stringify(id)}`, hint: 'download the checkpoint again' });
    }
    seen.add(id);
    vocab.set(token, id);
  }
  return vocab;
}

/** `merges.txt`: an optional `#version` line, then one `left right` pair per line. */
export function parseMergesTxt(text: string, vocab: ReadonlyMap<string, number>, file: string): [string, string][] {
  const merges: [string, string][] = [];
  const lines = text.split('\n');
  lines.forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (line === '' || (index === 0 && line.startsWith('#version'))) return;
    const parts = line.split(' ');
    if (parts.length !== 2 || !vocab.has(parts[0]) || !vocab.has(parts[1]) || !vocab.has(parts[0] + parts[1])) {
      throw new ModelFormatError({
        file,
        message: `line ${index + 1} (${JSON.stringify(line.slice(0, 40))}) is not a merge of two vocabulary tokens into a third`,
        hint: 'vocab.json and merges.txt must come from the same tokenizer',
      });
    }
    merges.push([parts[0], parts[1]]);
  });
  return merges;
}

/**
 * The `tokenizer.json` that transformers' GPT-2 converter builds from `vocab.json` +
 * `merges.txt`: byte-level pre-tokenization with GPT-2's regex, no prefix space, BPE without
 * unknown token, byte-level decoding. `specialTokens` (present in the vocabulary) become added
 * special tokens, so they are matched whole in text and dropped by `skipSpecialTokens`.
 */
export function byteLevelBpeTokenizerJson(
  vocab: ReadonlyMap<string, number>,
  merges: readonly (readonly [string, string])[],
  specialTokens: Iterable<string>,
): JsonObject {
  const added = [...new Set(specialTokens)]
    .filter((token) => vocab.has(token))
    .map((token) => ({ id: vocab.get(token), content: token, single_word: false, lstrip: false, rstrip: false, normalized: true, special: true }))
    .sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
  const byteLevel = { add_prefix_space: false, trim_offsets: true, use_regex: true };
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: null,
    pre_tokenizer: { type: 'ByteLevel', ...byteLevel },
    post_processor: { type: 'ByteLevel', ...byteLevel, trim_offsets: false },
    decoder: { type: 'ByteLevel', ...byteLevel },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: '',
      end_of_word_suffix: '',
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: Object.fromEntries(vocab),
      merges: mergesForJson(merges),
    },
  };
}
