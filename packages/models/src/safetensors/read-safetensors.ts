import { open } from 'node:fs/promises';
import { ModelFormatError } from '@rlgf/contracts';
import type { HostTensor, StoredDtype } from '../weights/weight-map';
import { bfloat16ToFloat, halfToFloat } from './float-conversions';
import { parseHeader, readHeaderLength, type SafetensorsEntry, type SafetensorsHeader } from './safetensors-header';

export interface ReadSafetensorsOptions {
  /** Read only these tensors (every one must exist); default all. */
  readonly names?: Iterable<string>;
  /**
   * What to do with tensors stored as integers, bool, F64 or F8 (buffers such as `position_ids`):
   * `error` (default) refuses the file, `skip` leaves them out and lists them in `skipped`.
   */
  readonly unsupportedDtypes?: 'error' | 'skip';
}

export interface SafetensorsContents {
  /** `__metadata__` of the header (`{format: 'pt'}` for files written by transformers). */
  readonly metadata: Readonly<Record<string, string>>;
  readonly tensors: Map<string, HostTensor>;
  /** The dtype each returned tensor had in the file, to write it back the same way. */
  readonly storedDtypes: Map<string, StoredDtype>;
  /** Tensors left out because of their dtype (with `unsupportedDtypes: 'skip'`). */
  readonly skipped: string[];
}

const supported = new Set<string>(['F32', 'F16', 'BF16']);

/** Float32 values of one tensor's bytes; `bytes` must be exactly the tensor's data. */
function decodeTensor(entry: SafetensorsEntry, bytes: Uint8Array): HostTensor {
  const count = entry.shape.reduce((product, dim) => product * dim, 1);
  // Offsets in a file are only guaranteed byte-aligned: views into it are copied to a fresh buffer.
  const owned = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer;
  const aligned = owned ? (bytes.buffer as ArrayBuffer) : new Uint8Array(bytes).buffer;
  if (entry.dtype === 'F32') return { shape: [...entry.shape], data: new Float32Array(aligned, 0, count) };
  // Typed arrays use the platform's byte order; every platform Node supports is little-endian.
  const halves = new Uint16Array(aligned, 0, count);
  const data = new Float32Array(count);
  const widen = entry.dtype === 'F16' ? halfToFloat : bfloat16ToFloat;
  for (let i = 0; i < count; i += 1) data[i] = widen(halves[i]);
  return { shape: [...entry.shape], data };
}

function selectEntries(header: SafetensorsHeader, options: ReadSafetensorsOptions, file: string) {
  const byName = new Map(header.entries.map((entry) => [entry.name, entry]));
  const wanted: SafetensorsEntry[] = options.names ? [] : [...header.entries];
  if (options.names) {
    for (const name of new Set(options.names)) {
      const entry = byName.get(name);
      if (!entry) {
        throw new ModelFormatError({
          file,
          message: `has no tensor "${name}"`,
          hint: `it stores ${header.entries.length} tensors, e.g. ${header.entries.slice(0, 3).map((e) => e.name).join(', ')}`,
        });
      }
      wanted.push(entry);
    }
  }
  const selected: SafetensorsEntry[] = [];
  const skipped: string[] = [];
  for (const entry of wanted) {
    if (supported.has(entry.dtype)) selected.push(entry);
    else if (options.unsupportedDtypes === 'skip') skipped.push(entry.name);
    else {
      throw new ModelFormatError({
        file,
        message: `tensor "${entry.name}" has dtype ${entry.dtype}; only F32, F16 and BF16 can be loaded`,
        hint: 'convert the checkpoint to a floating-point dtype, or leave buffers that are not weights out of it',
      });
    }
  }
  return { selected, skipped };
}

function contents(header: SafetensorsHeader, skipped: string[]): SafetensorsContents {
  return { metadata: header.metadata, tensors: new Map(), storedDtypes: new Map(), skipped };
}

/** Parses a whole safetensors file held in memory. `file` names it in error messages. */
export function parseSafetensors(bytes: Uint8Array, file: string, options: ReadSafetensorsOptions = {}): SafetensorsContents {
  const headerLength = readHeaderLength(bytes, bytes.length, file);
  const header = parseHeader(bytes.subarray(8, 8 + headerLength), bytes.length - 8 - headerLength, file);
  const { selected, skipped } = selectEntries(header, options, file);
  const result = contents(header, skipped);
  for (const entry of selected) {
    const start = header.dataStart + entry.begin;
    result.tensors.set(entry.name, decodeTensor(entry, bytes.subarray(start, header.dataStart + entry.end)));
    result.storedDtypes.set(entry.name, entry.dtype as StoredDtype);
  }
  return result;
}

/**
 * Reads a safetensors file from disk: the header first (validated against the file size before
 * anything large is allocated), then only the byte ranges of the requested tensors.
 */
export async function readSafetensorsFile(path: string, options: ReadSafetensorsOptions = {}): Promise<SafetensorsContents> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (cause) {
    throw new ModelFormatError({ file: path, message: 'cannot be opened', hint: 'check that the path exists and is readable', cause });
  }
  try {
    const fileSize = (await handle.stat()).size;
    const prefix = new Uint8Array(8);
    await handle.read(prefix, 0, Math.min(8, fileSize), 0);
    const headerLength = readHeaderLength(prefix, fileSize, path);
    const headerBytes = new Uint8Array(headerLength);
    await handle.read(headerBytes, 0, headerLength, 8);
    const header = parseHeader(headerBytes, fileSize - 8 - headerLength, path);
    const { selected, skipped } = selectEntries(header, options, path);
    const result = contents(header, skipped);
    for (const entry of selected) {
      const bytes = new Uint8Array(entry.end - entry.begin);
      const { bytesRead } = await handle.read(bytes, 0, bytes.length, header.dataStart + entry.begin);
      if (bytesRead !== bytes.length) {
        throw new ModelFormatError({ file: path, message: `tensor "${entry.name}" ends past the end of the file`, hint: 'the file is truncated; download it again' });
      }
      result.tensors.set(entry.name, decodeTensor(entry, bytes));
      result.storedDtypes.set(entry.name, entry.dtype as StoredDtype);
    }
    return result;
  } finally {
    await handle.close();
  }
}
