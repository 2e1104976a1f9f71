import { InvalidArgumentError, type WarningV1 } from '@rlgf/contracts';

type Options = Readonly<Record<string, unknown>>;

/** A boolean option, or its default when absent. */
export function booleanOption(options: Options, name: string, fallback: boolean): boolean {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new InvalidArgumentError({ argument: name, value, expected: 'true or false' });
  return value;
}

/** A finite number option within bounds, or its default when absent. */
export function numberOption(options: Options, name: string, fallback: number, bounds: { min?: number; max?: number } = {}): number {
  const value = options[name];
  if (value === undefined) return fallback;
  const inRange = typeof value === 'number' && Number.isFinite(value) && (bounds.min === undefined || value >= bounds.min) && (bounds.max === undefined || value <= bounds.max);
  if (!inRange) {
    const range = [bounds.min !== undefined ? `>= ${bounds.min}` : '', bounds.max !== undefined ? `<= ${bounds.max}` : ''].filter(Boolean).join(' and ');
    throw new InvalidArgumentError({ argument: name, value, expected: `a number${range ? ` ${range}` : ''}` });
  }
  return value;
}

/** A string option from a fixed set, or its default when absent. */
export function choiceOption<T extends string>(options: Options, name: string, choices: readonly T[], fallback: T): T {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new InvalidArgumentError({ argument: name, value, expected: `one of ${choices.map((c) => JSON.stringify(c)).join(', ')}` });
  }
  return value as T;
}

/** One `unsupported-option` warning per option the metric does not know. */
export function unknownOptionWarnings(options: Options, known: readonly string[]): WarningV1[] {
  return Object.keys(options)
    .filter((name) => !known.includes(name))
    .map((name) => ({ type: 'unsupported-option', field: name, message: `option "${name}" is not used by this metric; known options: ${known.join(', ') || '(none)'}` }));
}

/** Arithmetic mean (0 for an empty list, as an empty corpus scores nothing). */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, value) => sum + value, 0) / values.length;
}
