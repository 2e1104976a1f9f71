import { InvalidArgumentError } from '@rlgf/contracts';
import type { TokenReference } from '@rlgf/resilience';

/** Where the token came from, for logs (never the token itself). */
export type TokenSource = 'none' | 'literal' | { readonly env: string };

export interface ResolvedToken {
  readonly token?: string;
  readonly source: TokenSource;
}

export const defaultTokenVariable = 'HF_TOKEN';

/**
 * The bearer token to send. `token` is a secret reference (its shape checked by the options
 * schema): absent → `$HF_TOKEN` if set; `null` → no token (servers that need none, so `HF_TOKEN`
 * is not sent to them); `{ env: 'NAME' }` → `$NAME`, which must be set; a string → that token.
 */
export function resolveToken(value: TokenReference | undefined, env: Readonly<Record<string, string | undefined>>): ResolvedToken {
  if (value === undefined) {
    const token = env[defaultTokenVariable];
    return token ? { token, source: { env: defaultTokenVariable } } : { source: 'none' };
  }
  if (value === null) return { source: 'none' };
  if (typeof value === 'string') return { token: value, source: 'literal' };
  const token = env[value.env];
  if (!token) {
    throw new InvalidArgumentError({
      argument: 'guide.options.token',
      expected: `environment variable ${value.env} to hold the token, but it is not set`,
      hint: `export ${value.env}=<your token>, or set token: null if the server needs none`,
    });
  }
  return { token, source: { env: value.env } };
}

/** "from $HF_TOKEN", "given in the options", "none": for the startup log line. */
export function describeTokenSource(source: TokenSource): string {
  if (source === 'none') return 'none';
  if (source === 'literal') return 'given in the options';
  return `from $${source.env}`;
}
