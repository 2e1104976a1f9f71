import { ModelFormatError } from '@rlgf/contracts';
import type { HostTensor, StoredDtype } from '../weights/weight-map';
import { readSafetensorsFile, type ReadSafetensorsOptions, type SafetensorsContents } from './read-safetensors';

/** `model.safetensors.index.json`: which shard file holds each tensor. */
export interface ShardIndex {
  readonly metadata: Readonly<Record<string, unknown>>;
  /** Shard file name (relative to the index) to the tensors it must provide, in index order. */
  readonly shards: ReadonlyMap<string, readonly string[]>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates a parsed index file; shard names must stay inside the checkpoint directory. */
export function parseShardIndex(json: unknown, file: string): ShardIndex {
  const weightMap = isPlainObject(json) ? json['weight_map'] : undefined;
  if (!isPlainObject(weightMap)) {
    throw new ModelFormatError({ file, message: 'has no "weight_map" object', hint: 'a sharded checkpoint index maps each tensor name to its shard file' });
  }
  const shards = new Map<string, string[]>();
  for (const [name, shard] of Object.entries(weightMap)) {
    if (typeof shard !== 'string' || shard === '' || shard.startsWith('/') || shard.split(/[\\/]/).includes('..')) {
      throw new ModelFormatError({ file, message: `tensor "${name}" maps to an invalid shard file ${JSON.stringify(shard)}`, hint: 'shard files are names relative to the index file' });
    }
    const names = shards.get(shard) ?? [];
    names.push(name);
    shards.set(shard, names);
  }
  const metadata = isPlainObject(json) && isPlainObject(json['metadata']) ? json['metadata'] : {};
  return { metadata, shards };
}

/**
 * Reads the tensors of a sharded checkpoint: each shard only for the tensors the index assigns
 * to it. `resolveShard` turns a shard file name into a local path (a directory join, or a Hub
 * download).
 */
export async function readShardedSafetensors(
  index: ShardIndex,
  resolveShard: (shard: string) => Promise<string>,
  options: Pick<ReadSafetensorsOptions, 'unsupportedDtypes'> = {},
): Promise<SafetensorsContents> {
  const tensors = new Map<string, HostTensor>();
  const storedDtypes = new Map<string, StoredDtype>();
  const skipped: string[] = [];
  let metadata: Readonly<Record<string, string>> = {};
  for (const [shard, names] of index.shards) {
    const part = await readSafetensorsFile(await resolveShard(shard), { ...options, names });
    for (const [name, tensor] of part.tensors) tensors.set(name, tensor);
    for (const [name, dtype] of part.storedDtypes) storedDtypes.set(name, dtype);
    skipped.push(...part.skipped);
    metadata = { ...metadata, ...part.metadata };
  }
  return { metadata, tensors, storedDtypes, skipped };
}
