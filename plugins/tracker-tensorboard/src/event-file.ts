import { closeSync, mkdirSync, openSync, writeSync, fsyncSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { maskedCrc32c } from './crc32c';
import { ProtoWriter } from './protobuf-writer';

// Field numbers of tensorflow/core/util/event.proto, summary.proto and tensor.proto.
const EVENT = { wallTime: 1, step: 2, fileVersion: 3, summary: 5 } as const;
const VALUE = { tag: 1, simpleValue: 2, tensor: 8, metadata: 9 } as const;
const DT_STRING = 7;

/** One TFRecord: uint64 length, masked CRC-32C of the length, the data, masked CRC-32C of the data (all little-endian). */
export function tfRecord(data: Uint8Array): Uint8Array {
  const header = new Uint8Array(12);
  const view = new DataView(header.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(header.subarray(0, 8)), true);
  const footer = new Uint8Array(4);
  new DataView(footer.buffer).setUint32(0, maskedCrc32c(data), true);
  return Buffer.concat([header, data, footer]);
}

export type SummaryValue = { readonly tag: string; readonly scalar: number } | { readonly tag: string; readonly text: string };

function summaryEvent(wallTime: number, step: number, values: readonly SummaryValue[]): Uint8Array {
  return new ProtoWriter()
    .double(EVENT.wallTime, wallTime)
    .int(EVENT.step, step)
    .message(EVENT.summary, (summary) => {
      for (const value of values) {
        summary.message(1, (v) => {
          v.bytes(VALUE.tag, value.tag);
          if ('scalar' in value) {
            v.float(VALUE.simpleValue, value.scalar);
            return;
          }
          // TensorBoard's text plugin: a string tensor tagged with plugin_name "text", read as Markdown.
          v.message(VALUE.metadata, (metadata) => metadata.message(1, (pluginData) => pluginData.bytes(1, 'text')));
          v.message(VALUE.tensor, (tensor) => tensor.int(1, DT_STRING).message(2, () => undefined).bytes(8, value.text));
        });
      }
    })
    .finish();
}

/**
 * An append-only TensorBoard event file, `events.out.tfevents.<seconds>.<host>` as TensorFlow
 * names them, opening with the `brain.Event:2` version record TensorBoard expects.
 */
export class EventFile {
  readonly path: string;
  private readonly fd: number;

  constructor(dir: string, private readonly clock: () => number) {
    mkdirSync(dir, { recursive: true });
    const seconds = Math.floor(clock() / 1000);
    this.path = join(dir, `events.out.tfevents.${seconds}.${hostname()}`);
    this.fd = openSync(this.path, 'a');
    this.append(new ProtoWriter().double(EVENT.wallTime, clock() / 1000).bytes(EVENT.fileVersion, 'brain.Event:2').finish());
  }

  private append(event: Uint8Array): void {
    writeSync(this.fd, tfRecord(event));
  }

  write(step: number, values: readonly SummaryValue[]): void {
    if (values.length > 0) this.append(summaryEvent(this.clock() / 1000, step, values));
  }

  flush(): void {
    fsyncSync(this.fd);
  }

  close(): void {
    fsyncSync(this.fd);
    closeSync(this.fd);
  }
}
