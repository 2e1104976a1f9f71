import type { IncomingMessage } from 'node:http';
import { HttpError, validationError } from './http-error';
import { jsonDepth } from './json-depth';

/**
 * How deeply a request body may nest arrays and objects. The deepest request of these APIs nests
 * 3 (TGI's `parameters.stop` list); 16 leaves room for fields that are ignored.
 */
export const maxJsonDepth = 16;

const tooLarge = (maxBytes: number) => new HttpError(413, `request body larger than ${maxBytes} bytes`, 'validation', { Connection: 'close' });

/**
 * The request body parsed as JSON, refusing bodies over `maxBytes` (413, from `Content-Length`
 * when sent, else while reading), bodies nested deeper than {@link maxJsonDepth} (422, checked on
 * the raw text before parsing) and bodies that are not JSON (400).
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
      if (jsonDepth(text, maxJsonDepth) > maxJsonDepth) {
        reject(validationError(`request body nests arrays or objects more than ${maxJsonDepth} deep; requests to this server nest at most 3`));
        return;
      }
      try {
        resolve(JSON.parse(text));
      } catch (error) {
        reject(new HttpError(400, `request body is not valid JSON: ${(error as Error).message}`, 'validation'));
      }
    });
  });
}
