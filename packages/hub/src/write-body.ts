import type { LoggerV1 } from '@rlgf/contracts';
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

export interface WriteBodyOptions {
  /** Expected byte count, when known: enables percentages and the truncation check. */
  readonly size?: number;
  /** Names the file in progress lines. */
  readonly label: string;
  readonly logger: LoggerV1;
  /** Files at least this large log progress at info level (every 10%, or every this many bytes when the size is unknown). */
  readonly progressMinBytes: number;
}

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/**
 * Streams a response body into `path`, hashing it on the way (sha256, the name of a blob whose
 * etag the server did not send). Returns the byte count and the hash.
 */
export async function writeBody(body: ReadableStream<Uint8Array>, path: string, options: WriteBodyOptions): Promise<{ bytes: number; sha256: string }> {
  const { size, label, logger, progressMinBytes } = options;
  const loud = size === undefined || size >= progressMinBytes;
  const step = size === undefined ? progressMinBytes : Math.max(1, size / 10);
  if (loud) logger.info(`downloading ${label}${size === undefined ? '' : ` (${megabytes(size)})`}`);
  const hash = createHash('sha256');
  const handle = await open(path, 'w');
  let bytes = 0;
  let nextReport = step;
  try {
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
      await handle.write(chunk);
      hash.update(chunk);
      bytes += chunk.byteLength;
      if (loud && bytes >= nextReport && (size === undefined || bytes < size)) {
        logger.info(`downloading ${label}: ${megabytes(bytes)}${size === undefined ? '' : ` of ${megabytes(size)} (${Math.floor((100 * bytes) / size)}%)`}`);
        nextReport = (Math.floor(bytes / step) + 1) * step;
      }
    }
  } finally {
    await handle.close();
  }
  (loud ? logger.info : logger.debug)(`downloaded ${label} (${megabytes(bytes)})`);
  return { bytes, sha256: hash.digest('hex') };
}
