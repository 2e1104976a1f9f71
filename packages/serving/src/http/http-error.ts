/**
 * A refusal the server answers with instead of a result: an HTTP status, a one-line message and
 * TGI's `error_type` (`validation`, `authentication`, `overloaded`, ...), sent as
 * `{"error": message, "error_type": type}` — the body TGI sends, and the one
 * `@huggingface/inference` quotes in its errors.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errorType: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/** 422: a field of the request is missing, of the wrong type or out of range. */
export const validationError = (message: string) => new HttpError(422, message, 'validation');
