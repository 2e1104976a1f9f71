import { InvalidArgumentError } from '@rlgf/contracts';

/** Where the token came from, for logs (never the token itself). */
export type TokenSource = 'none' | 'literal' | { readonly env: string };

export interface ResolvedToken {
  readonly token?: string;
  readonly source: TokenSource;
}

export const defaultTokenVariable = 'HF_TOKEN';

// Error messages about the token never quote the value given: it may be the secret itself.
const expected = 'a token string, { env: "VARIABLE" } naming an environment variable, or null for no token';

/**
 * The bearer token to send. `token` is a secret reference: absent → `$HF_TOKEN` if set; `null` →
 * no token (servers that need none, so `HF_TOKEN` is not sent to them); `{ env: 'NAME' }` →
 * `$NAME`, which must be set; a string → that token.
 */
export function resolveToken(value: unknown, env: Readonly<Record<string, string | undefined>>): ResolvedToken {
  if (value === undefined) {
    const token = env[defaultTokenVariable];
    return token ? { token, source: { env: defaultTokenVariable } } : { source: 'none' };
  }
  if (value === null) return { source: 'none' };
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
      expected: `environment variable ${name} to hold the token, but it is not set`,
      hint: `export ${name}=<your token>, or set token: null if the server needs none`,
    });
  }
  return { token, source: { env: name } };
}

/** "from $HF_TOKEN", "given in the options", "none": for the startup log line. */
export function describeTokenSource(source: TokenSource): string {
  if (source === 'none') return 'none';
  if (source === 'literal') return 'given in the options';
  return `from $${source.env}`;
}
