import { ModelFormatError } from '@rlgf/contracts';

/** One vocabulary entry of a llama2.c tokenizer file, in id order. */
export interface Llama2cPiece {
  readonly score: number;
  /** The piece as run.c sees it: SentencePiece's ▁ already turned into a space. */
  readonly text: string;
}

export interface Llama2cTokenizer {
  readonly maxTokenLength: number;
  readonly pieces: readonly Llama2cPiece[];
}

/**
 * Parses a llama2.c tokenizer file (`tok512.bin`, `tokenizer.bin`): int32 max token length, then
 * per token a float32 score, an int32 byte length and the bytes. The file does not store the
 * token count: it must hold exactly `vocabSize` tokens (the checkpoint's vocabulary size).
 */
export function parseLlama2cTokenizer(bytes: Uint8Array, vocabSize: number, file: string): Llama2cTokenizer {
  const fail = (message: string): never => {
    throw new ModelFormatError({ file, message, hint: 'pass the tokenizer file that belongs to the checkpoint (e.g. tok512.bin for stories260K)' });
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  if (bytes.length < 4) fail(`${bytes.length} bytes is too short for a llama2.c tokenizer`);
  const maxTokenLength = view.getInt32(0, true);
  if (maxTokenLength <= 0) fail(`max token length ${maxTokenLength} must be positive`);
  const pieces: Llama2cPiece[] = [];
  let offset = 4;
  for (let id = 0; id < vocabSize; id += 1) {
    if (offset + 8 > bytes.length) fail(`ends after ${id} of the ${vocabSize} tokens the checkpoint's vocabulary needs`);
    const score = view.getFloat32(offset, true);
    const length = view.getInt32(offset + 4, true);
    offset += 8;
    if (length < 0 || length > maxTokenLength || offset + length > bytes.length) fail(`token ${id} declares ${length} bytes (max token length ${maxTokenLength}, ${bytes.length - offset} bytes left)`);
    let text = '';
    try {
      text = decoder.decode(bytes.subarray(offset, offset + length));
    } catch {
      fail(`token ${id} is not valid UTF-8`);
    }
    pieces.push({ score, text });
    offset += length;
  }
  if (offset !== bytes.length) fail(`has ${bytes.length - offset} bytes after the ${vocabSize} tokens of the checkpoint's vocabulary`);
  return { maxTokenLength, pieces };
}
