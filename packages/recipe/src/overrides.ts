import { InvalidArgumentError } from '@rlgf/contracts';
import { parse as parseYaml } from 'yaml';

export interface Override {
  readonly path: readonly string[];
  readonly value: unknown;
}

/**
 * Parses `--set a.b.c=value`. The value is read as YAML, so `10` is a number, `true` a boolean,
 * `null` null, `[a, b]` a list and `{id: x}` an object; quote it to force a string.
 */
export function parseOverride(text: string): Override {
  const equals = text.indexOf('=');
  const key = equals < 0 ? '' : text.slice(0, equals).trim();
  if (equals < 0 || key === '' || key.split('.').some((part) => part === '')) {
    throw new InvalidArgumentError({
      argument: '--set',
      value: text,
      expected: 'key.path=value, e.g. --set rollout.iterations=10',
    });
  }
  const raw = text.slice(equals + 1);
  let value: unknown;
  try {
    value = raw.trim() === '' ? '' : parseYaml(raw);
  } catch {
    throw new InvalidArgumentError({ argument: `--set ${key}`, value: raw, expected: 'a YAML value (quote strings with special characters)' });
  }
  return { path: key.split('.'), value };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Returns a copy of `document` with each override applied in order (creating missing objects). */
export function applyOverrides(document: unknown, overrides: readonly Override[]): Record<string, unknown> {
  const root: Record<string, unknown> = isPlainObject(document) ? structuredClone(document) : {};
  for (const { path, value } of overrides) {
    let node: Record<string, unknown> | unknown[] = root;
    path.forEach((part, depth) => {
      const last = depth === path.length - 1;
      const container = node as Record<string, unknown>;
      if (Array.isArray(node) && !/^\d+$/.test(part)) {
        throw new InvalidArgumentError({ argument: `--set ${path.join('.')}`, value: part, expected: `a list index at "${path.slice(0, depth).join('.')}"` });
      }
      if (last) {
        container[part] = value;
        return;
      }
      const next = container[part];
      if (!isPlainObject(next) && !Array.isArray(next)) container[part] = {};
      node = container[part] as Record<string, unknown>;
    });
  }
  return root;
}
