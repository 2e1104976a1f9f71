import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { serializeSafetensors } from '../safetensors/write-safetensors';
import { specialTokenContent, type JsonObject, type TokenizerFiles } from '../tokenizers/tokenizer-files';
import type { StoredDtype, WeightMap } from '../weights/weight-map';

export interface WriteCheckpointInput {
  /** Written as `config.json`. */
  readonly config: JsonObject;
  readonly weights: WeightMap;
  readonly tokenizerFiles: TokenizerFiles;
  /** Element type of `model.safetensors`: one for all, or per tensor. Default F32. */
  readonly dtype?: StoredDtype | ReadonlyMap<string, StoredDtype>;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((key) => [key, sortKeys((value as JsonObject)[key])]),
  );
}

/** JSON as transformers writes configs: sorted keys, two-space indent, trailing newline. */
function configJson(value: JsonObject): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

/** transformers also records the special tokens in tokenizer_config.json. */
function tokenizerConfigWithSpecialTokens(files: TokenizerFiles): JsonObject {
  const config: JsonObject = { ...files.tokenizerConfig };
  for (const [role, value] of Object.entries(files.specialTokensMap)) {
    if (role.endsWith('_token') && config[role] === undefined && specialTokenContent(value) !== undefined) config[role] = value;
  }
  return config;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Writes a checkpoint transformers can load (`from_pretrained(dir)`): `config.json`,
 * `model.safetensors`, `tokenizer.json`, `tokenizer_config.json` and `special_tokens_map.json`.
 * Atomic: everything goes to a temporary folder beside `dir`, which then replaces `dir`, so a
 * crash never leaves a half-written checkpoint under the final name.
 */
export async function writeCheckpoint(dir: string, input: WriteCheckpointInput): Promise<void> {
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const staging = join(dirname(dir), `.${basename(dir)}.tmp-${suffix}`);
  const previous = join(dirname(dir), `.${basename(dir)}.old-${suffix}`);
  await mkdir(dirname(dir), { recursive: true });
  await mkdir(staging);
  try {
    await writeFile(join(staging, 'config.json'), configJson(input.config));
    await writeFile(join(staging, 'model.safetensors'), serializeSafetensors(input.weights, { dtype: input.dtype, metadata: { format: 'pt' } }));
    await writeFile(join(staging, 'tokenizer.json'), `${JSON.stringify(input.tokenizerFiles.tokenizerJson, null, 2)}\n`);
    await writeFile(join(staging, 'tokenizer_config.json'), configJson(tokenizerConfigWithSpecialTokens(input.tokenizerFiles)));
    await writeFile(join(staging, 'special_tokens_map.json'), configJson(input.tokenizerFiles.specialTokensMap));
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  const replacing = await exists(dir);
  if (replacing) await rename(dir, previous);
  try {
    await rename(staging, dir);
  } catch (error) {
    if (replacing) await rename(previous, dir);
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  if (replacing) await rm(previous, { recursive: true, force: true });
}
