/**
 * `text` with every occurrence of each secret replaced by `[redacted]`. For messages that may
 * quote a server, which may echo what it was sent. Empty secrets are ignored.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret) result = result.split(secret).join('[redacted]');
  }
  return result;
}
