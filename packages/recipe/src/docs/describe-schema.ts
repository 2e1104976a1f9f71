import type { z } from 'zod';

/** One documented recipe field. */
export interface FieldDoc {
  readonly path: string;
  readonly type: string;
  readonly default?: string;
  readonly description: string;
}

type AnySchema = z.core.$ZodType;
interface Definition {
  readonly type: string;
  readonly innerType?: AnySchema;
  readonly defaultValue?: unknown;
  readonly shape?: Record<string, AnySchema>;
  readonly in?: AnySchema;
  readonly out?: AnySchema;
  readonly entries?: Record<string, string | number>;
  readonly element?: AnySchema;
  readonly options?: readonly AnySchema[];
  readonly values?: readonly unknown[];
  readonly valueType?: AnySchema;
  readonly checks?: readonly { _zod: { def: { check: string; value?: unknown; inclusive?: boolean; format?: string } } }[];
}

const definition = (schema: AnySchema) => schema._zod.def as unknown as Definition;
const descriptionOf = (schema: AnySchema) => (schema as unknown as { description?: string }).description;

interface Unwrapped {
  readonly core: AnySchema;
  readonly description?: string;
  readonly defaultValue?: unknown;
  readonly optional: boolean;
}

/** Peels defaults, optionals and preprocessing off a field, keeping what they say. */
function unwrap(schema: AnySchema): Unwrapped {
  let current = schema;
  let description = descriptionOf(schema);
  let defaultValue: unknown;
  let optional = false;
  for (;;) {
    const def = definition(current);
    if (def.type === 'default' || def.type === 'prefault') {
      defaultValue = typeof def.defaultValue === 'function' ? (def.defaultValue as () => unknown)() : def.defaultValue;
      current = def.innerType as AnySchema;
    } else if (def.type === 'optional') {
      optional = true;
      current = def.innerType as AnySchema;
    } else if (def.type === 'pipe') {
      current = def.out as AnySchema;
    } else {
      break;
    }
    description ??= descriptionOf(current);
  }
  return { core: current, description, defaultValue, optional };
}

function numberType(def: Definition): string {
  const checks = (def.checks ?? []).map((c) => c._zod.def);
  const isInt = checks.some((c) => c.check === 'number_format' && String(c.format).includes('int'));
  const bounds = checks
    .filter((c) => c.check === 'greater_than' || c.check === 'less_than')
    .map((c) => `${c.check === 'greater_than' ? (c.inclusive ? '≥' : '>') : c.inclusive ? '≤' : '<'} ${String(c.value)}`);
  return `${isInt ? 'integer' : 'number'}${bounds.length > 0 ? ` ${bounds.join(', ')}` : ''}`;
}

function typeName(schema: AnySchema): string {
  const def = definition(schema);
  switch (def.type) {
    case 'number':
      return numberType(def);
    case 'enum':
      return Object.values(def.entries ?? {}).map((v) => `\`${String(v)}\``).join(' \\| ');
    case 'literal':
      return (def.values ?? []).map((v) => `\`${String(v)}\``).join(' \\| ');
    case 'array':
      return `list of ${typeName(unwrap(def.element as AnySchema).core)}`;
    case 'union': {
      const tags = (def.options ?? []).flatMap((option) =>
        Object.entries(definition(option).shape ?? {})
          .filter(([, s]) => definition(s).type === 'literal')
          .map(([key, s]) => ({ key, value: String(definition(s).values?.[0]) })),
      );
      return tags.length > 0 ? `${tags[0].key}: ${tags.map((t) => `\`${t.value}\``).join(' \\| ')}` : 'one of several shapes';
    }
    case 'record':
      return 'mapping';
    default:
      return def.type;
  }
}

function formatDefault(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'object' && value !== null && Object.keys(value).length === 0) return undefined;
  return `\`${JSON.stringify(value)}\``;
}

/**
 * Every field of a zod object schema, depth first, with its type, default and description.
 * Objects nested in lists and discriminated unions are documented under `path[]` and
 * `path(<tag>)`.
 */
export function describeSchema(schema: AnySchema, prefix = ''): FieldDoc[] {
  const def = definition(unwrap(schema).core);
  const docs: FieldDoc[] = [];
  for (const [key, field] of Object.entries(def.shape ?? {})) {
    const path = prefix ? `${prefix}.${key}` : key;
    const { core, description, defaultValue, optional } = unwrap(field);
    const coreDef = definition(core);
    docs.push({
      path,
      type: `${typeName(core)}${optional && defaultValue === undefined ? ' (optional)' : ''}`,
      default: formatDefault(defaultValue),
      description: description ?? '',
    });
    if (coreDef.type === 'object') docs.push(...describeSchema(core, path));
    if (coreDef.type === 'array') {
      const element = unwrap(coreDef.element as AnySchema).core;
      if (definition(element).type === 'object') docs.push(...describeSchema(element, `${path}[]`));
    }
    docs.push(...describeNested(coreDef, path));
  }
  return docs;
}

/** Fields inside a union's options (`path(<tag>)`) or a record's values (`path.<name>`). */
function describeNested(coreDef: Definition, path: string): FieldDoc[] {
  const docs: FieldDoc[] = [];
  if (coreDef.type === 'record' && coreDef.valueType) {
    const value = unwrap(coreDef.valueType).core;
    const valueType = definition(value).type;
    if (valueType === 'object') docs.push(...describeSchema(value, `${path}.<name>`));
    if (valueType === 'union') docs.push(...describeNested(definition(value), `${path}.<name>`));
  }
  if (coreDef.type === 'union') {
    for (const option of coreDef.options ?? []) {
      const shape = definition(option).shape ?? {};
      const tag = Object.values(shape)
        .map((s) => definition(s))
        .find((d) => d.type === 'literal');
      const rest = Object.fromEntries(Object.entries(shape).filter(([, s]) => definition(s).type !== 'literal'));
      if (Object.keys(rest).length === 0) continue;
      const label = tag ? String(tag.values?.[0]) : 'option';
      docs.push(...describeSchema({ _zod: { def: { type: 'object', shape: rest } } } as unknown as AnySchema, `${path}(${label})`));
    }
  }
  return docs;
}
