import type { IncomingMessage } from 'node:http';
import { HttpError } from './http-error';

const tooLarge = (maxBytes: number) => new HttpError(413, `request body larger than ${maxBytes} bytes`, 'validation', { Connection: 'close' });

/**
 * The request body parsed as JSON, refusing bodies over `maxBytes` (413, from `Content-Length`
 * when sent, else while reading) and bodies that are not JSON (400).
 */
export function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) return Promise.reject(tooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        req.off('data', onData);
        // Keep reading (and dropping) so the 413 can still be written to the socket.
        req.resume();
        reject(tooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.on('error', reject);
    req.on('end', () => {
      if (size > maxBytes) return;
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        resolve(JSON.parse(text));
      } catch (error) {
        reject(new HttpError(400, `request body is not valid JSON: ${(error as Error).message}`, 'validation'));
      }
    });
  });
}
