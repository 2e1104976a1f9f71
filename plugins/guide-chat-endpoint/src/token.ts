import { InvalidArgumentError } from '@rlgf/contracts';
import type { TokenReference } from '@rlgf/resilience';

/** Where the API key came from, for logs (never the key itself). */
export type TokenSource = 'none' | 'literal' | { readonly env: string };

export interface ResolvedToken {
  readonly token?: string;
  readonly source: TokenSource;
}

/**
 * The bearer token (API key) to send, its shape checked by the options schema. Unlike the
 * hf-endpoint guide there is no default variable: an OpenAI-compatible URL may be anyone's
 * server, so no key goes out unless the options name one. `{ env: 'NAME' }` → `$NAME`, which
 * must be set; a string → that key (warned about); `null` or absent → none.
 */
export function resolveToken(value: TokenReference | undefined, env: Readonly<Record<string, string | undefined>>): ResolvedToken {
  if (value === undefined || value === null) return { source: 'none' };
  if (typeof value === 'string') return { token: value, source: 'literal' };
  const token = env[value.env];
  if (!token) {
    throw new InvalidArgumentError({
      argument: 'guide.options.token',
      expected: `environment variable ${value.env} to hold the API key, but it is not set`,
      hint: `export ${value.env}=<your key>, or set token: null if the server needs none`,
    });
  }
  return { token, source: { env: value.env } };
}

/** "from $OPENAI_API_KEY", "given in the options", "none": for the startup log line. */
export function describeTokenSource(source: TokenSource): string {
  if (source === 'none') return 'none';
  if (source === 'literal') return 'given in the options';
  return `from $${source.env}`;
}
