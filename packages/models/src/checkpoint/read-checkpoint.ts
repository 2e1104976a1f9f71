import { ModelFormatError } from '@rlgf/contracts';
import type { TokenizerV1 } from '@rlgf/contracts';
import { createTokenizer } from '../tokenizers/hf-tokenizer';
import { loadTokenizerFiles, parseJsonFile } from '../tokenizers/load-tokenizer-files';
import type { JsonObject, TokenizerFiles } from '../tokenizers/tokenizer-files';
import type { StoredDtype, WeightMap } from '../weights/weight-map';
import { openCheckpointSource, type OpenCheckpointOptions } from './checkpoint-source';
import { readWeightFiles } from './weight-files';

export type ReadCheckpointOptions = OpenCheckpointOptions;

export interface Checkpoint {
  /** `config.json`, parsed. */
  readonly config: JsonObject;
  /** The stored tensors, by the names in the file (tying and renaming are the architecture's job). */
  readonly weights: WeightMap;
  readonly tokenizer: TokenizerV1;
  /** The tokenizer as files, to write it again with the weights (see writeCheckpoint). */
  readonly tokenizerFiles: TokenizerFiles;
  /** The dtype each tensor had on disk. */
  readonly storedDtypes: ReadonlyMap<string, StoredDtype>;
  /** Non-float tensors left out (integer buffers such as `position_ids`). */
  readonly skippedTensors: readonly string[];
  /** Where it came from: the directory or Hub id, and the local paths that were read. */
  readonly files: { readonly source: string; readonly config: string; readonly weights: readonly string[] };
}

/**
 * Reads a checkpoint in the Hub's format from a local directory or a Hub model id (`owner/name`,
 * optionally `owner/name/subfolder`): `config.json`, the safetensors weights (single file or
 * sharded) and the tokenizer (`tokenizer.json`, or GPT-2's `vocab.json` + `merges.txt`).
 * Pickled PyTorch weights are refused with instructions to convert them.
 */
export async function readCheckpoint(source: string, options: ReadCheckpointOptions = {}): Promise<Checkpoint> {
  const files = await openCheckpointSource(source, options);
  if (!files.has('config.json')) {
    throw new ModelFormatError({
      file: files.label,
      message: 'has no config.json',
      hint: `a Hub checkpoint folder holds config.json, model.safetensors and the tokenizer; it has: ${files.names.join(', ') || '(no files)'}`,
    });
  }
  const configPath = await files.localPath('config.json');
  const config = parseJsonFile(await files.readText('config.json'), `${files.label}/config.json`);
  const weights = await readWeightFiles(files);
  const tokenizerFiles = await loadTokenizerFiles(files);
  const tokenizer = createTokenizer(tokenizerFiles, { modelConfig: config, source: files.label });
  return {
    config,
    weights: weights.tensors,
    tokenizer,
    tokenizerFiles,
    storedDtypes: weights.storedDtypes,
    skippedTensors: weights.skipped,
    files: { source: files.label, config: configPath, weights: weights.files },
  };
}
