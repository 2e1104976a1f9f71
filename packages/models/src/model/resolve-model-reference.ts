import { ModelFormatError, type HubFilesV1, type LoggerV1 } from '@rlgf/contracts';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openCheckpointSource } from '../checkpoint/checkpoint-source';
import { convertLlama2c } from '../llama2c/convert-llama2c';

/** A model as a recipe names it. */
export interface ModelReference {
  /** A local directory or a Hub id `owner/name[/subfolder]`. */
  readonly source: string;
  readonly revision?: string;
  /** `auto` tells a Hugging Face folder (config.json) from llama2.c files (`*.bin` + `tok*.bin`). */
  readonly format?: 'auto' | 'hf' | 'llama2c';
}

export interface ResolveModelOptions {
  readonly hub?: HubFilesV1;
  /** Where converted checkpoints are kept between runs. */
  readonly cacheDir: string;
  readonly logger?: LoggerV1;
}

function llama2cFiles(names: readonly string[], label: string): { checkpoint: string; tokenizer: string } {
  const top = names.filter((name) => !name.includes('/'));
  const tokenizers = top.filter((name) => /^tok.*\.bin$/.test(name));
  const checkpoints = top.filter((name) => name.endsWith('.bin') && !tokenizers.includes(name) && name !== 'pytorch_model.bin');
  if (tokenizers.length !== 1 || checkpoints.length !== 1) {
    throw new ModelFormatError({
      file: label,
      message: `has no config.json and is not one llama2.c checkpoint with one tokenizer (found ${[...checkpoints, ...tokenizers].join(', ') || 'no .bin files'})`,
      hint: 'point at a Hugging Face model folder, or a folder with exactly one <model>.bin and one tok<N>.bin',
    });
  }
  return { checkpoint: checkpoints[0], tokenizer: tokenizers[0] };
}

/**
 * The local directory or Hub id that `loadLanguageModel` can read for `reference`. A llama2.c
 * model (such as karpathy/tinyllamas/stories260K) is converted to a Hugging Face folder on first
 * use and kept under `cacheDir`, so later runs reuse the conversion.
 */
export async function resolveModelReference(reference: ModelReference, options: ResolveModelOptions): Promise<string> {
  const format = reference.format ?? 'auto';
  if (format === 'hf') return reference.source;
  const source = await openCheckpointSource(reference.source, { hub: options.hub, revision: reference.revision });
  if (format === 'auto' && source.has('config.json')) return reference.source;
  const files = llama2cFiles(source.names, source.label);
  const key = `${reference.source}@${reference.revision ?? 'main'}`.replace(/[^A-Za-z0-9._@-]+/g, '--');
  const outDir = join(options.cacheDir, 'llama2c', key);
  if (existsSync(join(outDir, 'config.json'))) return outDir;
  options.logger?.info(`converting llama2.c model ${source.label} to a Hugging Face folder (first use): ${outDir}`);
  await convertLlama2c({
    checkpointPath: await source.localPath(files.checkpoint),
    tokenizerPath: await source.localPath(files.tokenizer),
    outDir,
  });
  return outDir;
}
