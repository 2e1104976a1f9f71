import { validationError } from '../http/http-error';

export type JsonObject = Readonly<Record<string, unknown>>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A value as an error message quotes it, cut to 60 characters. Bodies are depth-checked before
 * parsing; should a value still be too deep for `JSON.stringify`, its type is named instead.
 */
const shown = (value: unknown) => {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Array.isArray(value) ? 'a list' : typeof value;
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

export interface NumberRange {
  readonly integer?: boolean;
  readonly min?: number;
  readonly max?: number;
  /** `min` itself is refused. */
  readonly minExclusive?: boolean;
}

function describe(range: NumberRange): string {
  const parts = [range.integer ? 'an integer' : 'a number'];
  if (range.min !== undefined) parts.push(`${range.minExclusive ? '>' : '>='} ${range.min}`);
  if (range.max !== undefined) parts.push(`${range.min !== undefined ? 'and ' : ''}<= ${range.max}`);
  return parts.join(' ');
}

/** `object[field]` as a number in range; `undefined` when absent or `null` (JSON's "not given"). */
export function numberField(object: JsonObject, field: string, range: NumberRange = {}): number | undefined {
  const value = object[field];
  if (value === undefined || value === null) return undefined;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!range.integer || Number.isSafeInteger(value)) &&
    (range.min === undefined || (range.minExclusive ? value > range.min : value >= range.min)) &&
    (range.max === undefined || value <= range.max);
  if (!ok) throw validationError(`\`${field}\` must be ${describe(range)}, got ${shown(value)}`);
  return value;
}

export function booleanField(object: JsonObject, field: string): boolean | undefined {
  const value = object[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw validationError(`\`${field}\` must be true or false, got ${shown(value)}`);
  return value;
}

export function stringField(object: JsonObject, field: string): string | undefined {
  const value = object[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw validationError(`\`${field}\` must be a string, got ${shown(value)}`);
  return value;
}

/** A string or a list of strings, as OpenAI's `stop`; at most `max` of them. */
export function stringListField(object: JsonObject, field: string, max: number): string[] {
  const value = object[field];
  if (value === undefined || value === null) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || !list.every((item) => typeof item === 'string')) {
    throw validationError(`\`${field}\` must be a string or a list of strings, got ${shown(value)}`);
  }
  if (list.length > max) throw validationError(`\`${field}\` has ${list.length} entries; at most ${max}`);
  return list as string[];
}

/**
 * Refuses fields this server does not implement when they ask for something other than their
 * default (`n: 1` is fine, `n: 2` is not), rather than ignoring them and answering differently.
 */
export function refuseUnsupported(object: JsonObject, harmless: Readonly<Record<string, readonly unknown[]>>): void {
  for (const [field, defaults] of Object.entries(harmless)) {
    const value = object[field];
    if (value === undefined || value === null || defaults.includes(value)) continue;
    throw validationError(`\`${field}\` ${shown(value)} is not supported by rlgf serve; leave it out`);
  }
}
