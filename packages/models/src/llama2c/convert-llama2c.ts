import { readFile } from 'node:fs/promises';
import { ModelFormatError } from '@rlgf/contracts';
import { writeCheckpoint } from '../checkpoint/write-checkpoint';
import type { JsonObject } from '../tokenizers/tokenizer-files';
import { llama2cToHfWeights, llamaConfigJson } from './llama2c-to-hf';
import { llama2cTokenizerFiles } from './llama2c-tokenizer-json';
import { parseLlama2cCheckpoint } from './read-llama2c-checkpoint';
import { parseLlama2cTokenizer } from './read-llama2c-tokenizer';

export interface ConvertLlama2cOptions {
  /** llama2.c `.bin` checkpoint (legacy format), e.g. `stories260K.bin`. */
  readonly checkpointPath: string;
  /** llama2.c tokenizer, e.g. `tok512.bin`. */
  readonly tokenizerPath: string;
  /** Directory to write the Hub-style checkpoint to (replaced atomically if it exists). */
  readonly outDir: string;
}

export interface ConvertLlama2cResult {
  readonly outDir: string;
  readonly config: JsonObject;
  readonly tensorCount: number;
  readonly parameterCount: number;
}

async function readInput(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (cause) {
    throw new ModelFormatError({ file: path, message: 'cannot be read', hint: 'check the path', cause });
  }
}

/**
 * Converts a llama2.c model to a Hub-style LlamaForCausalLM directory (`config.json`,
 * `model.safetensors` in HF naming with q/k rows permuted to HF's rotary layout, and a
 * `tokenizer.json` that encodes like run.c), loadable here and by transformers.
 */
export async function convertLlama2c(options: ConvertLlama2cOptions): Promise<ConvertLlama2cResult> {
  const { config, weights } = parseLlama2cCheckpoint(await readInput(options.checkpointPath), options.checkpointPath);
  const tokenizer = parseLlama2cTokenizer(await readInput(options.tokenizerPath), config.vocabSize, options.tokenizerPath);
  const tokenizerFiles = llama2cTokenizerFiles(tokenizer, config.seqLen, options.tokenizerPath);
  const hfConfig = llamaConfigJson(config);
  const hfWeights = llama2cToHfWeights(config, weights);
  await writeCheckpoint(options.outDir, { config: hfConfig, weights: hfWeights, tokenizerFiles });
  const parameterCount = [...hfWeights.values()].reduce((sum, tensor) => sum + tensor.data.length, 0);
  return { outDir: options.outDir, config: hfConfig, tensorCount: hfWeights.size, parameterCount };
}
