import { InvalidArgumentError } from '@rlgf/contracts';

/** Where the API key came from, for logs (never the key itself). */
export type TokenSource = 'none' | 'literal' | { readonly env: string };

export interface ResolvedToken {
  readonly token?: string;
  readonly source: TokenSource;
}

// Error messages about the key never quote the value given: it may be the secret itself.
const expected = '{ env: "VARIABLE" } naming an environment variable, a key string, or null for no key';

/**
 * The bearer token (API key) to send. Unlike the hf-endpoint guide there is no default variable:
 * an OpenAI-compatible URL may be anyone's server, so no key goes out unless the options name
 * one. `{ env: 'NAME' }` → `$NAME`, which must be set; a string → that key (warned about);
 * `null` or absent → none.
 */
export function resolveToken(value: unknown, env: Readonly<Record<string, string | undefined>>): ResolvedToken {
  if (value === undefined || value === null) return { source: 'none' };
  if (typeof value === 'string') {
    if (value.trim() === '') throw new InvalidArgumentError({ argument: 'token', expected: `${expected} (got an empty string)` });
    return { token: value, source: 'literal' };
  }
  const name = typeof value === 'object' && Object.keys(value).length === 1 ? (value as { env?: unknown }).env : undefined;
  if (typeof name !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new InvalidArgumentError({ argument: 'token', expected });
  const token = env[name];
  if (!token) {
    throw new InvalidArgumentError({
      argument: 'token',
      expected: `environment variable ${name} to hold the API key, but it is not set`,
      hint: `export ${name}=<your key>, or set token: null if the server needs none`,
    });
  }
  return { token, source: { env: name } };
}

/** "from $OPENAI_API_KEY", "given in the options", "none": for the startup log line. */
export function describeTokenSource(source: TokenSource): string {
  if (source === 'none') return 'none';
  if (source === 'literal') return 'given in the options';
  return `from $${source.env}`;
}
