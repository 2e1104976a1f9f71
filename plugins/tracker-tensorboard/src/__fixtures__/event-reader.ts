/**
 * An independent reader of TensorBoard event files for the tests: TFRecord framing checked with a
 * bit-at-a-time CRC-32C (not the writer's table), and a generic protobuf decoder that knows only
 * wire types, with the Event / Summary / TensorProto field numbers of TensorFlow's .proto files.
 */

export function crc32cBitwise(bytes: Uint8Array): number {
  let crc = ~0 >>> 0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0x82f63b78 & -(crc & 1));
  }
  return ~crc >>> 0;
}

const mask = (crc: number) => (((crc >>> 15) | (crc << 17)) + 0xa282ead8) >>> 0;

type Field = { readonly wire: number; readonly int?: bigint; readonly bytes?: Uint8Array; readonly fixed?: DataView };

function decode(bytes: Uint8Array): Map<number, Field[]> {
  const fields = new Map<number, Field[]>();
  let at = 0;
  const varint = () => {
    let value = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = bytes[at++];
      value |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return value;
    }
  };
  while (at < bytes.length) {
    const key = Number(varint());
    const wire = key & 7;
    let field: Field;
    if (wire === 0) field = { wire, int: varint() };
    else if (wire === 1 || wire === 5) {
      const size = wire === 1 ? 8 : 4;
      field = { wire, fixed: new DataView(bytes.buffer, bytes.byteOffset + at, size) };
      at += size;
    } else if (wire === 2) {
      const size = Number(varint());
      field = { wire, bytes: bytes.subarray(at, at + size) };
      at += size;
    } else throw new Error(`unexpected wire type ${wire}`);
    fields.set(key >>> 3, [...(fields.get(key >>> 3) ?? []), field]);
  }
  return fields;
}

const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

export interface DecodedValue {
  readonly tag: string;
  readonly simpleValue?: number;
  readonly pluginName?: string;
  readonly dtype?: number;
  readonly strings?: string[];
}

export interface DecodedEvent {
  readonly wallTime: number;
  readonly step: number;
  readonly fileVersion?: string;
  readonly values: DecodedValue[];
}

function decodeValue(bytes: Uint8Array): DecodedValue {
  const value = decode(bytes);
  const metadata = value.get(9)?.[0]?.bytes;
  const pluginData = metadata ? decode(metadata).get(1)?.[0]?.bytes : undefined;
  const tensorBytes = value.get(8)?.[0]?.bytes;
  const tensor = tensorBytes ? decode(tensorBytes) : undefined;
  return {
    tag: text(value.get(1)?.[0]?.bytes),
    simpleValue: value.get(2)?.[0]?.fixed?.getFloat32(0, true),
    pluginName: pluginData ? text(decode(pluginData).get(1)?.[0]?.bytes) : undefined,
    dtype: tensor ? Number(tensor.get(1)?.[0]?.int) : undefined,
    strings: tensor?.get(8)?.map((field) => text(field.bytes)),
  };
}

/** Every record of an event file, its CRCs checked, decoded as an Event. */
export function readEvents(file: Uint8Array): DecodedEvent[] {
  const events: DecodedEvent[] = [];
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  let at = 0;
  while (at < file.length) {
    const length = Number(view.getBigUint64(at, true));
    if (view.getUint32(at + 8, true) !== mask(crc32cBitwise(file.subarray(at, at + 8)))) throw new Error(`bad length CRC at byte ${at}`);
    const data = file.subarray(at + 12, at + 12 + length);
    if (view.getUint32(at + 12 + length, true) !== mask(crc32cBitwise(data))) throw new Error(`bad data CRC at byte ${at}`);
    at += 12 + length + 4;
    const event = decode(data);
    const summary = event.get(5)?.[0]?.bytes;
    events.push({
      wallTime: event.get(1)?.[0]?.fixed?.getFloat64(0, true) ?? Number.NaN,
      step: Number(event.get(2)?.[0]?.int ?? 0n),
      fileVersion: event.has(3) ? text(event.get(3)?.[0]?.bytes) : undefined,
      values: summary ? (decode(summary).get(1) ?? []).map((field) => decodeValue(field.bytes ?? new Uint8Array())) : [],
    });
  }
  return events;
}
