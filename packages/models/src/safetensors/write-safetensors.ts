import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { InvalidArgumentError } from '@rlgf/contracts';
import type { HostTensor, StoredDtype } from '../weights/weight-map';
import { floatToBfloat16, floatToHalf } from './float-conversions';

export interface WriteSafetensorsOptions {
  /** Element type in the file: one for all tensors, or per tensor name (missing names: F32). */
  readonly dtype?: StoredDtype | ReadonlyMap<string, StoredDtype>;
  /** `__metadata__`; default `{format: 'pt'}` as transformers writes it. */
  readonly metadata?: Readonly<Record<string, string>>;
}

const elementBytes: Record<StoredDtype, number> = { F32: 4, F16: 2, BF16: 2 };

function compareUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

function validate(name: string, tensor: HostTensor): void {
  if (name === '' || name === '__metadata__') {
    throw new InvalidArgumentError({ argument: 'tensor name', value: name, expected: 'a non-empty name other than __metadata__' });
  }
  if (!tensor.shape.every((dim) => Number.isSafeInteger(dim) && dim >= 0)) {
    throw new InvalidArgumentError({ argument: `shape of "${name}"`, value: tensor.shape, expected: 'non-negative integers' });
  }
  const count = tensor.shape.reduce((product, dim) => product * dim, 1);
  if (count !== tensor.data.length) {
    throw new InvalidArgumentError({
      argument: `tensor "${name}"`,
      value: `${tensor.data.length} values`,
      expected: `${count} values for shape [${tensor.shape.join(', ')}]`,
    });
  }
}

function encode(data: Float32Array, dtype: StoredDtype): Uint8Array {
  if (dtype === 'F32') return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const narrow = dtype === 'F16' ? floatToHalf : floatToBfloat16;
  const halves = new Uint16Array(data.length);
  for (let i = 0; i < data.length; i += 1) halves[i] = narrow(data[i]);
  return new Uint8Array(halves.buffer);
}

/**
 * The bytes of a safetensors file, laid out as the reference implementation writes them: tensors
 * ordered by element size (largest first) then by name, a compact JSON header (tensors, then
 * `__metadata__`) padded with spaces to a multiple of 8 bytes, then the data. Typed arrays are little-endian on every Node platform.
 */
export function serializeSafetensors(
  tensors: ReadonlyMap<string, HostTensor> | Readonly<Record<string, HostTensor>>,
  options: WriteSafetensorsOptions = {},
): Uint8Array {
  const entries = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
  const dtypeOf = (name: string): StoredDtype =>
    typeof options.dtype === 'string' ? options.dtype : (options.dtype?.get(name) ?? 'F32');
  for (const [name, tensor] of entries) validate(name, tensor);
  entries.sort(([a], [b]) => elementBytes[dtypeOf(b)] - elementBytes[dtypeOf(a)] || compareUtf8(a, b));

  const header: Record<string, unknown> = {};
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const [name, tensor] of entries) {
    const dtype = dtypeOf(name);
    const bytes = encode(tensor.data, dtype);
    header[name] = { dtype, shape: [...tensor.shape], data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }
  // The reference writer emits `__metadata__` after the tensors.
  header['__metadata__'] = options.metadata ?? { format: 'pt' };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const headerLength = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerLength + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerLength), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerLength);
  let position = 8 + headerLength;
  for (const chunk of chunks) {
    out.set(chunk, position);
    position += chunk.length;
  }
  return out;
}

/** Writes `path` atomically: to a temporary file beside it, then renamed over it. */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const temporary = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await writeFile(temporary, data);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Serializes `tensors` (see serializeSafetensors) and writes them atomically to `path`. */
export async function writeSafetensorsFile(
  path: string,
  tensors: ReadonlyMap<string, HostTensor> | Readonly<Record<string, HostTensor>>,
  options: WriteSafetensorsOptions = {},
): Promise<void> {
  await writeFileAtomic(path, serializeSafetensors(tensors, options));
}
