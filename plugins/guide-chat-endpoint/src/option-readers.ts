import { InvalidArgumentError, type WarningV1 } from '@rlgf/contracts';

export type RawOptions = Readonly<Record<string, unknown>>;

/** A number option within bounds (and an integer when asked), or the fallback when absent. */
export function numberOption(
  options: RawOptions,
  name: string,
  fallback: number,
  rule: { readonly integer?: boolean; readonly min: number; readonly minExclusive?: boolean; readonly max?: number },
): number {
  const value = options[name];
  if (value === undefined) return fallback;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!rule.integer || Number.isInteger(value)) &&
    (rule.minExclusive ? value > rule.min : value >= rule.min) &&
    (rule.max === undefined || value <= rule.max);
  if (!ok) {
    const range = `${rule.minExclusive ? '>' : '>='} ${rule.min}${rule.max === undefined ? '' : ` and <= ${rule.max}`}`;
    throw new InvalidArgumentError({ argument: name, value, expected: `${rule.integer ? 'an integer' : 'a number'} ${range}` });
  }
  return value;
}

/** An optional non-empty string option. */
export function stringOption(options: RawOptions, name: string): string | undefined {
  const value = options[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InvalidArgumentError({ argument: name, value, expected: 'a non-empty string' });
  }
  return value;
}

/** One of `choices`, or the fallback when absent. */
export function choiceOption<T extends string>(options: RawOptions, name: string, choices: readonly T[], fallback: T): T {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new InvalidArgumentError({ argument: name, value, expected: `one of ${choices.map((choice) => `"${choice}"`).join(', ')}` });
  }
  return value as T;
}

/** A warning per option the component does not know (names only: values may be secrets). */
export function unknownOptionWarnings(options: RawOptions, known: readonly string[]): WarningV1[] {
  return Object.keys(options)
    .filter((name) => !known.includes(name))
    .map((name) => ({ type: 'unsupported-option', field: name, message: `option "${name}" is not used by the chat-endpoint guide; known: ${known.join(', ')}` }));
}
