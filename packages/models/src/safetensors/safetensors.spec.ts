import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelFormatError } from '@rlgf/contracts';
import { rejectionOf, sharedHubMirror } from '@rlgf/testing';
import type { HostTensor } from '../weights/weight-map';
import { parseSafetensors, readSafetensorsFile } from './read-safetensors';
import { parseShardIndex, readShardedSafetensors } from './sharded-safetensors';
import { serializeSafetensors, writeSafetensorsFile } from './write-safetensors';

const tensor = (shape: number[], values: number[]): HostTensor => ({ shape, data: new Float32Array(values) });

function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('safetensors writer', () => {
  it('lays out a file byte for byte as the reference implementation does', () => {
    const bytes = serializeSafetensors({ b: tensor([2], [1, -2]), a: tensor([], [0.5]) });
    // Hand-built: names sorted, compact JSON, padded with spaces to a multiple of 8.
    const json = '{"a":{"dtype":"F32","shape":[],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]},"__metadata__":{"format":"pt"}}';
    const padded = json.padEnd(Math.ceil(json.length / 8) * 8, ' ');
    const expected = Buffer.concat([
      Buffer.from(new BigUint64Array([BigInt(padded.length)]).buffer),
      Buffer.from(padded),
      Buffer.from(new Float32Array([0.5, 1, -2]).buffer),
    ]);
    expect(Buffer.from(bytes).equals(expected)).toBe(true);
  });

  it('writes F16 and BF16 with the known bit patterns', () => {
    const bytes = serializeSafetensors({ x: tensor([2], [1, 0.1]) }, { dtype: 'F16', metadata: {} });
    expect([...bytes.slice(-4)]).toEqual([0x00, 0x3c, 0x66, 0x2e]);
    const bf = serializeSafetensors({ x: tensor([2], [1, 0.1]) }, { dtype: 'BF16' });
    expect([...bf.slice(-4)]).toEqual([0x80, 0x3f, 0xcd, 0x3d]);
  });

  it('puts wider dtypes first, then sorts by name', () => {
    const bytes = serializeSafetensors(
      { z: tensor([1], [1]), a: tensor([1], [1]), m: tensor([1], [1]) },
      { dtype: new Map([['a', 'F16' as const]]) },
    );
    const { storedDtypes } = parseSafetensors(bytes, 'mem');
    expect([...storedDtypes.entries()]).toEqual([
      ['m', 'F32'],
      ['z', 'F32'],
      ['a', 'F16'],
    ]);
  });

  it('refuses tensors whose data does not match the shape', () => {
    const error = thrownBy(() => serializeSafetensors({ w: tensor([2, 2], [1, 2, 3]) }));
    expect((error as Error).message).toMatch(/tensor "w".*3 values.*4 values/);
  });
});

describe('safetensors round trip', () => {
  const values = [0, -0, 1, -1.5, 3.140625, 65504, 1e-7, -(2 ** -24), 1e30, Infinity, -Infinity];
  const weights = new Map<string, HostTensor>([
    ['model.embed_tokens.weight', tensor([values.length], values)],
    ['empty', tensor([0, 3], [])],
    ['scalar', tensor([], [42])],
  ]);

  it.each(['F32', 'F16', 'BF16'] as const)('reads back %s and rewrites it bit for bit', (dtype) => {
    const first = serializeSafetensors(weights, { dtype });
    const read = parseSafetensors(first, 'mem');
    expect(read.metadata).toEqual({ format: 'pt' });
    expect([...read.tensors.keys()].sort()).toEqual(['empty', 'model.embed_tokens.weight', 'scalar']);
    expect(read.tensors.get('empty')?.shape).toEqual([0, 3]);
    const second = serializeSafetensors(read.tensors, { dtype: read.storedDtypes });
    expect(Buffer.from(second).equals(Buffer.from(first))).toBe(true);
    if (dtype === 'F32') expect([...read.tensors.get('model.embed_tokens.weight')?.data ?? []]).toEqual(values.map(Math.fround));
  });

  it('reads only the requested tensors from a file, and names missing ones', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rlgf-st-'));
    try {
      const path = join(dir, 'model.safetensors');
      await writeSafetensorsFile(path, weights);
      const read = await readSafetensorsFile(path, { names: ['scalar'] });
      expect([...read.tensors.keys()]).toEqual(['scalar']);
      expect([...read.tensors.get('scalar')?.data ?? []]).toEqual([42]);
      const error = await rejectionOf<ModelFormatError>(readSafetensorsFile(path, { names: ['lm_head.weight'] }));
      expect(ModelFormatError.isInstance(error)).toBe(true);
      expect(error.message).toContain('has no tensor "lm_head.weight"');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses integer tensors by name unless asked to skip them', () => {
    const json = '{"ids":{"dtype":"I64","shape":[2],"data_offsets":[0,16]},"w":{"dtype":"F32","shape":[1],"data_offsets":[16,20]}}';
    const bytes = Buffer.concat([Buffer.from(new BigUint64Array([BigInt(json.length)]).buffer), Buffer.from(json), Buffer.alloc(20)]);
    const error = thrownBy(() => parseSafetensors(bytes, 'ids.safetensors')) as ModelFormatError;
    expect(error.message).toBe('ids.safetensors: tensor "ids" has dtype I64; only F32, F16 and BF16 can be loaded');
    const read = parseSafetensors(bytes, 'ids.safetensors', { unsupportedDtypes: 'skip' });
    expect(read.skipped).toEqual(['ids']);
    expect([...read.tensors.keys()]).toEqual(['w']);
  });

  it('reads the tiny-gpt2 checkpoint of the Hub mirror', async () => {
    const path = join(sharedHubMirror(), 'models/sshleifer/tiny-gpt2/model.safetensors');
    const read = await readSafetensorsFile(path);
    expect(read.tensors.get('transformer.wte.weight')?.shape).toEqual([50257, 2]);
    expect(read.tensors.get('lm_head.weight')?.shape).toEqual([50257, 2]);
    expect(read.tensors.get('transformer.h.0.attn.c_attn.weight')?.shape).toEqual([2, 6]);
    // The file was written by the Python safetensors library: rewriting what we read is identical.
    const again = serializeSafetensors(read.tensors, { dtype: read.storedDtypes, metadata: read.metadata });
    expect(Buffer.from(again).equals(await readFile(path))).toBe(true);
  });
});

describe('sharded safetensors', () => {
  it('reads each tensor from the shard the index names', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rlgf-shards-'));
    try {
      await writeSafetensorsFile(join(dir, 'model-00001-of-00002.safetensors'), { a: tensor([1], [1]), stray: tensor([1], [9]) });
      await writeSafetensorsFile(join(dir, 'model-00002-of-00002.safetensors'), { b: tensor([2], [2, 3]) }, { dtype: 'BF16' });
      const indexJson = {
        metadata: { total_size: 12 },
        weight_map: { a: 'model-00001-of-00002.safetensors', b: 'model-00002-of-00002.safetensors' },
      };
      await writeFile(join(dir, 'model.safetensors.index.json'), JSON.stringify(indexJson));
      const index = parseShardIndex(JSON.parse(await readFile(join(dir, 'model.safetensors.index.json'), 'utf8')), 'index');
      const read = await readShardedSafetensors(index, async (shard) => join(dir, shard));
      expect([...read.tensors.keys()].sort()).toEqual(['a', 'b']);
      expect([...read.tensors.get('b')?.data ?? []]).toEqual([2, 3]);
      expect(read.storedDtypes.get('b')).toBe('BF16');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses shard names that leave the checkpoint directory', () => {
    const error = thrownBy(() => parseShardIndex({ weight_map: { a: '../../etc/passwd' } }, 'index.json')) as ModelFormatError;
    expect(error.message).toMatch(/index.json: tensor "a" maps to an invalid shard file/);
    expect((thrownBy(() => parseShardIndex({ weights: {} }, 'index.json')) as Error).message).toMatch(/no "weight_map"/);
  });
});
