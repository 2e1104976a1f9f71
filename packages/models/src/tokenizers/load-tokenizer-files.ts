import { ModelFormatError } from '@rlgf/contracts';
import { byteLevelBpeTokenizerJson, parseMergesTxt, parseVocabJson } from './byte-level-bpe-json';
import { isJsonObject, specialTokenContent, type JsonObject, type TokenizerFiles } from './tokenizer-files';

/** The files of one checkpoint, by name relative to it (a local directory or a Hub repo). */
export interface CheckpointFileReader {
  /** Names the checkpoint in messages. */
  readonly label: string;
  has(name: string): boolean;
  readText(name: string): Promise<string>;
}

export function parseJsonFile(text: string, file: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    throw new ModelFormatError({ file, message: `is not valid JSON (${cause instanceof Error ? cause.message : String(cause)})`, hint: 'download the checkpoint again', cause });
  }
  if (!isJsonObject(parsed)) throw new ModelFormatError({ file, message: 'is not a JSON object', hint: 'download the checkpoint again' });
  return parsed;
}

async function optionalJson(files: CheckpointFileReader, name: string): Promise<JsonObject> {
  return files.has(name) ? parseJsonFile(await files.readText(name), `${files.label}/${name}`) : {};
}

/** Every token the configs name as special (BOS, EOS, UNK, pad, additional, added_tokens_decoder). */
function namedSpecialTokens(tokenizerConfig: JsonObject, specialTokensMap: JsonObject): string[] {
  const names: string[] = [];
  for (const source of [specialTokensMap, tokenizerConfig]) {
    for (const role of ['bos_token', 'eos_token', 'unk_token', 'pad_token', 'sep_token', 'cls_token', 'mask_token']) {
      const content = specialTokenContent(source[role]);
      if (content !== undefined) names.push(content);
    }
    const additional = source['additional_special_tokens'];
    if (Array.isArray(additional)) names.push(...additional.map(specialTokenContent).filter((token) => token !== undefined));
  }
  const decoder = tokenizerConfig['added_tokens_decoder'];
  if (isJsonObject(decoder)) {
    for (const entry of Object.values(decoder)) {
      if (isJsonObject(entry) && entry['special'] === true && typeof entry['content'] === 'string') names.push(entry['content']);
    }
  }
  return names;
}

/**
 * The tokenizer files of a checkpoint: `tokenizer.json` when present, else GPT-2's `vocab.json` +
 * `merges.txt` converted to the `tokenizer.json` transformers would build from them.
 */
export async function loadTokenizerFiles(files: CheckpointFileReader): Promise<TokenizerFiles> {
  const source = files.label;
  const tokenizerConfig = await optionalJson(files, 'tokenizer_config.json');
  const specialTokensMap = await optionalJson(files, 'special_tokens_map.json');
  if (files.has('tokenizer.json')) {
    return { tokenizerJson: parseJsonFile(await files.readText('tokenizer.json'), `${source}/tokenizer.json`), tokenizerConfig, specialTokensMap };
  }
  if (files.has('vocab.json') && files.has('merges.txt')) {
    const vocab = parseVocabJson(parseJsonFile(await files.readText('vocab.json'), `${source}/vocab.json`), `${source}/vocab.json`);
    const merges = parseMergesTxt(await files.readText('merges.txt'), vocab, `${source}/merges.txt`);
    const tokenizerJson = byteLevelBpeTokenizerJson(vocab, merges, namedSpecialTokens(tokenizerConfig, specialTokensMap));
    return { tokenizerJson, tokenizerConfig, specialTokensMap };
  }
  throw new ModelFormatError({
    file: source,
    message: files.has('tokenizer.model')
      ? 'has only a SentencePiece tokenizer.model, which cannot be read here'
      : 'has no tokenizer: neither tokenizer.json nor vocab.json + merges.txt',
    hint: "write a tokenizer.json with Python: `from transformers import AutoTokenizer; AutoTokenizer.from_pretrained('<model>').save_pretrained('<dir>')`",
  });
}
