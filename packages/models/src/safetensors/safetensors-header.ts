import { ModelFormatError } from '@rlgf/contracts';

/** Bytes per element of every dtype the safetensors format defines. */
const dtypeSizes: Readonly<Record<string, number>> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  F64: 8,
  I64: 8,
  U64: 8,
};

/** Same bound as the reference implementation: a header is metadata, never a payload. */
export const maxHeaderBytes = 100_000_000;

/** One tensor as the header declares it; offsets are relative to the data section. */
export interface SafetensorsEntry {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
  readonly begin: number;
  readonly end: number;
}

export interface SafetensorsHeader {
  readonly metadata: Readonly<Record<string, string>>;
  /** Entries in data order. */
  readonly entries: readonly SafetensorsEntry[];
  /** Byte offset of the data section in the file (8 + header length). */
  readonly dataStart: number;
}

function fail(file: string, message: string, hint?: string): never {
  throw new ModelFormatError({
    file,
    message,
    hint: hint ?? 'the file is truncated or not a safetensors file; download or convert it again',
  });
}

/**
 * Reads the 8-byte little-endian header length, then validates it against the file size before
 * anything is allocated. Returns the header length.
 */
export function readHeaderLength(prefix: Uint8Array, fileSize: number, file: string): number {
  if (fileSize < 8 || prefix.length < 8) fail(file, `${fileSize} bytes is too short for a safetensors file (needs an 8-byte header length)`);
  const view = new DataView(prefix.buffer, prefix.byteOffset, 8);
  const length = Number(view.getBigUint64(0, true));
  if (length > maxHeaderBytes) fail(file, `declared header length ${length} exceeds the ${maxHeaderBytes}-byte limit`);
  if (length < 2) fail(file, `declared header length ${length} cannot hold a JSON object`);
  if (8 + length > fileSize) fail(file, `declared header length ${length} exceeds the file size ${fileSize}`);
  return length;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function parseEntry(name: string, raw: unknown, dataLength: number, file: string): SafetensorsEntry {
  if (!isPlainObject(raw)) fail(file, `tensor "${name}": header entry is not an object`);
  const { dtype, shape, data_offsets: offsets } = raw;
  if (typeof dtype !== 'string' || !(dtype in dtypeSizes)) {
    fail(file, `tensor "${name}": unknown dtype ${JSON.stringify(dtype)}`);
  }
  if (!Array.isArray(shape) || !shape.every(isIndex)) {
    fail(file, `tensor "${name}": shape must be a list of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex)) {
    fail(file, `tensor "${name}": data_offsets must be two non-negative integers, got ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end || end > dataLength) {
    fail(file, `tensor "${name}": data_offsets [${begin}, ${end}] lie outside the ${dataLength}-byte data section`);
  }
  let elements = (shape as number[]).includes(0) ? 0 : 1;
  for (const dim of shape as number[]) {
    // Any product beyond the data section is wrong already; stop before it loses precision.
    if (elements > dataLength) break;
    elements *= dim;
  }
  const expected = elements * dtypeSizes[dtype];
  if (expected !== end - begin) {
    fail(file, `tensor "${name}": shape [${(shape as number[]).join(', ')}] of ${dtype} needs ${expected} bytes but data_offsets span ${end - begin}`);
  }
  return { name, dtype, shape: shape as number[], begin, end };
}

/** Parses and validates the JSON header; `dataLength` is the file size minus the header. */
export function parseHeader(headerBytes: Uint8Array, dataLength: number, file: string): SafetensorsHeader {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes));
  } catch (cause) {
    throw new ModelFormatError({
      file,
      message: `header is not valid UTF-8 JSON (${cause instanceof Error ? cause.message : String(cause)})`,
      hint: 'the file is truncated or not a safetensors file; download or convert it again',
    });
  }
  if (!isPlainObject(parsed)) fail(file, 'header is not a JSON object');
  const metadata: Record<string, string> = {};
  const entries: SafetensorsEntry[] = [];
  for (const [key, value] of Object.entries(parsed)) {
    if (key === '__metadata__') {
      if (!isPlainObject(value) || !Object.values(value).every((item) => typeof item === 'string')) {
        fail(file, '__metadata__ must map strings to strings');
      }
      Object.assign(metadata, value);
    } else {
      entries.push(parseEntry(key, value, dataLength, file));
    }
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  for (let i = 1; i < entries.length; i += 1) {
    const previous = entries[i - 1];
    const current = entries[i];
    if (current.begin < previous.end) {
      fail(file, `tensors "${previous.name}" and "${current.name}" overlap (bytes ${current.begin}..${previous.end})`);
    }
  }
  return { metadata, entries, dataStart: 8 + headerBytes.length };
}

/** Bytes per element of a dtype name the header accepted. */
export function dtypeSize(dtype: string): number {
  return dtypeSizes[dtype];
}
