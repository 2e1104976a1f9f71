import { ModelFormatError } from '@rlgf/contracts';

/** Typed reads of `config.json` fields, each failing with the field's name. */
export class ConfigReader {
  constructor(
    private readonly json: Readonly<Record<string, unknown>>,
    private readonly file = 'config.json',
  ) {}

  integer(field: string, fallback?: number): number {
    const value = this.json[field] ?? fallback;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      throw this.error(field, value, 'a non-negative integer');
    }
    return value;
  }

  positiveInteger(field: string, fallback?: number): number {
    const value = this.integer(field, fallback);
    if (value === 0) throw this.error(field, value, 'a positive integer');
    return value;
  }

  number(field: string, fallback?: number): number {
    const value = this.json[field] ?? fallback;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw this.error(field, value, 'a finite number');
    return value;
  }

  boolean(field: string, fallback: boolean): boolean {
    const value = this.json[field] ?? fallback;
    if (typeof value !== 'boolean') throw this.error(field, value, 'true or false');
    return value;
  }

  string(field: string, fallback: string): string {
    const value = this.json[field] ?? fallback;
    if (typeof value !== 'string') throw this.error(field, value, 'a string');
    return value;
  }

  /** A token id field that may be absent, a number, or a list of numbers (`eos_token_id`). */
  tokenIds(field: string): number[] {
    const value = this.json[field];
    if (value === undefined || value === null) return [];
    const list = Array.isArray(value) ? value : [value];
    if (!list.every((id) => typeof id === 'number' && Number.isSafeInteger(id) && id >= 0)) {
      throw this.error(field, value, 'a token id or a list of token ids');
    }
    return list as number[];
  }

  /** Rejects a field whose value this implementation does not support. */
  requireAbsentOr(field: string, allowed: readonly unknown[], hint: string): void {
    const value = this.json[field];
    if (value !== undefined && value !== null && !allowed.includes(value)) {
      throw new ModelFormatError({ file: this.file, message: `${field} = ${JSON.stringify(value)} is not supported`, hint });
    }
  }

  private error(field: string, value: unknown, expected: string): ModelFormatError {
    return new ModelFormatError({
      file: this.file,
      message: `${field} is ${JSON.stringify(value)}, expected ${expected}`,
      hint: 'fix config.json, or re-export the checkpoint with Hugging Face transformers',
    });
  }
}
