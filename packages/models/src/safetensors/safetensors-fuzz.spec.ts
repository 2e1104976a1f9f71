import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelFormatError } from '@rlgf/contracts';
import { Rng } from '@rlgf/core';
import { parseSafetensors, readSafetensorsFile } from './read-safetensors';
import { serializeSafetensors } from './write-safetensors';

const valid = serializeSafetensors(
  {
    'a.weight': { shape: [3, 4], data: new Float32Array(12).map((_, i) => i / 7) },
    'b.bias': { shape: [5], data: new Float32Array(5).fill(-1) },
    c: { shape: [2, 2], data: new Float32Array([1, 2, 3, 4]) },
  },
  { dtype: new Map([['c', 'BF16' as const]]) },
);
const headerLength = Number(new DataView(valid.buffer).getBigUint64(0, true));

/** Either a clean parse or a ModelFormatError naming the file: anything else fails the test. */
function outcome(bytes: Uint8Array): 'ok' | 'rejected' {
  try {
    parseSafetensors(bytes, 'fuzz.safetensors');
    return 'ok';
  } catch (error) {
    if (!ModelFormatError.isInstance(error) || !error.message.startsWith('fuzz.safetensors: ')) {
      throw new Error(`unexpected ${String(error)} for ${Buffer.from(bytes.slice(0, 80)).toString('latin1')}`);
    }
    return 'rejected';
  }
}

function withHeader(json: string, dataLength: number, declaredLength = BigInt(json.length)): Uint8Array {
  const prefix = new Uint8Array(8);
  new DataView(prefix.buffer).setBigUint64(0, declaredLength, true);
  return Buffer.concat([prefix, Buffer.from(json), Buffer.alloc(dataLength)]);
}

describe('safetensors reader under corruption', () => {
  it('rejects every truncation of a valid file', () => {
    expect(outcome(valid)).toBe('ok');
    for (let length = 0; length < valid.length; length += 1) {
      if (outcome(valid.slice(0, length)) !== 'rejected') throw new Error(`truncation to ${length} bytes was accepted`);
    }
  });

  it('never throws anything but ModelFormatError under random byte flips', () => {
    const rng = Rng.fromSeed(1234);
    const counts = { ok: 0, rejected: 0 };
    for (let trial = 0; trial < 3000; trial += 1) {
      const bytes = valid.slice();
      const flips = 1 + rng.nextInt(4);
      for (let i = 0; i < flips; i += 1) {
        // Mostly in the length prefix and the header, where structure lives; sometimes in data.
        const position = rng.nextFloat() < 0.85 ? rng.nextInt(8 + headerLength) : rng.nextInt(bytes.length);
        bytes[position] = rng.nextInt(256);
      }
      counts[outcome(bytes)] += 1;
    }
    expect(counts.rejected).toBeGreaterThan(1000);
    expect(counts.ok).toBeGreaterThan(0);
  });

  it.each([
    ['a header length past the file', withHeader('{}', 0, 1_000n)],
    ['a header length over 100 MB', withHeader('{}', 0, 200_000_000n)],
    ['a header length of 2^64-1', withHeader('{}', 0, 0xffffffffffffffffn)],
    ['a header that is a JSON array', withHeader('[1,2]', 0)],
    ['a header that is not JSON', withHeader('{"a":', 0)],
    ['a header that is not UTF-8', Buffer.concat([withHeader('{"\u00ff":1}', 0).slice(0, 10), Buffer.from([0xff, 0xfe]), Buffer.from('":1}')])],
    ['metadata values that are not strings', withHeader('{"__metadata__":{"format":1}}', 0)],
    ['an unknown dtype', withHeader('{"w":{"dtype":"F17","shape":[1],"data_offsets":[0,4]}}', 4)],
    ['a negative dimension', withHeader('{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}', 4)],
    ['a fractional dimension', withHeader('{"w":{"dtype":"F32","shape":[1.5],"data_offsets":[0,6]}}', 6)],
    ['a dimension given as a string', withHeader('{"w":{"dtype":"F32","shape":["NaN"],"data_offsets":[0,4]}}', 4)],
    ['a huge declared shape', withHeader('{"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,4]}}', 4)],
    ['a huge end offset', withHeader('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,1e300]}}', 4)],
    ['offsets past the data', withHeader('{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', 4)],
    ['reversed offsets', withHeader('{"w":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}', 4)],
    ['a length that does not match the shape', withHeader('{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', 8)],
    ['overlapping tensors', withHeader('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}', 12)],
    ['missing data_offsets', withHeader('{"w":{"dtype":"F32","shape":[1]}}', 4)],
    ['an entry that is not an object', withHeader('{"w":7}', 0)],
  ])('rejects %s with a ModelFormatError', (_label, bytes) => {
    expect(outcome(bytes)).toBe('rejected');
  });

  it('checks sizes before allocating when reading from disk', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rlgf-fuzz-'));
    try {
      const path = join(dir, 'hostile.safetensors');
      await writeFile(path, withHeader('{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', 4, 0x7fffffffffffn));
      const error = await readSafetensorsFile(path).catch((caught: unknown) => caught);
      expect(ModelFormatError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(/hostile.safetensors: declared header length \d+ exceeds the 100000000-byte limit/);
      await writeFile(path, valid.slice(0, valid.length - 3));
      expect(((await readSafetensorsFile(path).catch((caught: unknown) => caught)) as Error).message).toMatch(/outside the \d+-byte data section/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
