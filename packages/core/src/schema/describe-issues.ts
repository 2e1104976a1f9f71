import { didYouMean } from './closest-name';

/**
 * A validation issue as Standard Schema reports it (`message`, `path`), with the extra fields zod
 * adds (`code`, `expected`, `minimum`, `keys`...) read when present. Typed structurally so that
 * the core needs no validation library to format issues.
 */
export interface SchemaIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }>;
  readonly code?: string;
  readonly expected?: unknown;
  readonly origin?: string;
  readonly inclusive?: boolean;
  readonly minimum?: unknown;
  readonly maximum?: unknown;
  readonly values?: readonly unknown[];
  readonly divisor?: unknown;
  readonly format?: string;
  readonly keys?: readonly string[];
  readonly options?: unknown;
}

export interface DescribeIssuesOptions {
  /** The fields allowed at a path (`[]` for the top), for did-you-mean suggestions on unknown fields. */
  readonly knownKeys?: (path: readonly PropertyKey[]) => readonly string[] | undefined;
}

const keyOf = (segment: PropertyKey | { readonly key: PropertyKey }): PropertyKey =>
  typeof segment === 'object' && segment !== null ? segment.key : segment;

function at(value: unknown, path: readonly PropertyKey[]): unknown {
  let node = value;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function expectation(issue: SchemaIssue): string {
  const array = issue.origin === 'array';
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${String(issue.expected)}`;
    case 'too_small':
      return `expected ${array ? 'at least' : issue.inclusive ? '>=' : '>'} ${String(issue.minimum)}${array ? ' entries' : issue.origin === 'string' ? ' characters' : ''}`;
    case 'too_big':
      return `expected ${array ? 'at most' : issue.inclusive ? '<=' : '<'} ${String(issue.maximum)}${array ? ' entries' : ''}`;
    case 'invalid_value':
      return `expected one of ${(issue.values ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      return 'expected one of the allowed shapes';
    case 'not_multiple_of':
      return `expected a multiple of ${String(issue.divisor)}`;
    case 'invalid_format':
      return `expected ${String(issue.format)}`;
    default:
      return issue.message;
  }
}

/**
 * Turns schema issues into `{ path, message }` pairs that name the field, the bad value and what
 * is expected, e.g. `optimization.minibatchSize: got -3, expected > 0`; an unknown field says
 * which known one it probably meant. A custom message (a schema's own words, from `.refine` or a
 * `{ error }` parameter) is kept as written.
 */
export function describeIssues(issues: readonly SchemaIssue[], input: unknown, options: DescribeIssuesOptions = {}): { path: string; message: string }[] {
  return issues.flatMap((issue) => {
    const keys = (issue.path ?? []).map(keyOf);
    const path = keys.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      const known = options.knownKeys?.(keys) ?? [];
      // One entry per unknown field, so each gets its own path and suggestion.
      return (issue.keys ?? []).map((key) => ({ path: path === '' ? key : `${path}.${key}`, message: `unknown field${didYouMean(key, known)}` }));
    }
    if (issue.code === 'custom' || issue.code === undefined) return [{ path, message: issue.message }];
    if (issue.code === 'invalid_union' && Array.isArray(issue.options)) {
      // A discriminated union whose tag matched no option: list the tags.
      const tags = issue.options.map((option) => JSON.stringify(option)).join(', ');
      return [{ path, message: `got ${show(at(input, keys))}, expected one of ${tags}` }];
    }
    return [{ path, message: `got ${show(at(input, keys))}, ${expectation(issue)}` }];
  });
}
