import { InvalidArgumentError, type ComponentFactoryV1, type ComponentKindV1 } from '@rlgf/contracts';
import { describeIssues, type SchemaIssue } from './describe-issues';

/** One option of a factory's schema, as `rlgf plugins --options` and the docs show it. */
export interface OptionDoc {
  readonly name: string;
  /** A short JSON-Schema-ish type: `integer`, `string`, `"a" | "b"`, `string[]`, `object`. */
  readonly type: string;
  readonly description: string;
  /** JSON of the default, when the schema has one. */
  readonly default?: string;
  readonly required: boolean;
}

type JsonSchema = Record<string, unknown> & {
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  type?: string | string[];
  description?: string;
  default?: unknown;
};

function jsonSchemaOf(factory: ComponentFactoryV1): JsonSchema | undefined {
  return factory.optionsSchema?.['~standard'].jsonSchema.input({ target: 'draft-2020-12' }) as JsonSchema | undefined;
}

function typeName(schema: JsonSchema): string {
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  if ('const' in schema) return JSON.stringify(schema.const);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return [...new Set(alternatives.map(typeName))].join(' | ');
  if (schema.type === 'array') {
    const item = schema.items ? typeName(schema.items) : 'unknown';
    return item.includes(' | ') ? `(${item})[]` : `${item}[]`;
  }
  if (Array.isArray(schema.type)) return schema.type.join(' | ');
  return schema.type ?? 'any';
}

/** The options of a factory with a schema, in declaration order. */
export function describeOptions(factory: ComponentFactoryV1): OptionDoc[] {
  const schema = jsonSchemaOf(factory);
  const required = new Set(schema?.required ?? []);
  return Object.entries(schema?.properties ?? {}).map(([name, property]) => ({
    name,
    type: typeName(property),
    description: property.description ?? '',
    default: 'default' in property ? JSON.stringify(property.default) : undefined,
    required: required.has(name) && !('default' in property),
  }));
}

function fieldsAt(schema: JsonSchema | undefined, path: readonly PropertyKey[]): string[] {
  if (!schema) return [];
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return [...new Set(alternatives.flatMap((option) => fieldsAt(option, path)))];
  const [head, ...rest] = path;
  if (head === undefined) return Object.keys(schema.properties ?? {});
  if (typeof head === 'number') return fieldsAt(schema.items, rest);
  return fieldsAt(schema.properties?.[String(head)], rest);
}

/**
 * Validates a component's options with its factory's schema and returns the parsed value; a
 * factory without a schema gets its raw options back. The one policy for every plugin: unknown
 * options are errors (an ignored typo silently changes a run), each issue is named
 * `<kind>.options.<field>` with the value and what is expected, and a misspelt option suggests
 * the one it is closest to. Several issues are reported in one line, the first one as the argument.
 */
export async function validateComponentOptions<K extends ComponentKindV1>(
  factory: ComponentFactoryV1<K>,
  options: Readonly<Record<string, unknown>>,
  kind: K,
): Promise<Readonly<Record<string, unknown>>> {
  const schema = factory.optionsSchema;
  if (!schema) return options;
  const result = await schema['~standard'].validate(options);
  if (!result.issues) return result.value;
  const json = jsonSchemaOf(factory);
  const issues = describeIssues(result.issues as readonly SchemaIssue[], options, { knownKeys: (path) => fieldsAt(json, path) }).map((issue) => ({
    ...issue,
    keys: issue.path === '' ? [] : issue.path.split('.'),
    path: issue.path === '' ? `${kind}.options` : `${kind}.options.${issue.path}`,
  }));
  // A misspelt option explains the missing one next to it, so unknown fields are reported first.
  const [first, ...rest] = [...issues].sort((a, b) => Number(b.message.startsWith('unknown field')) - Number(a.message.startsWith('unknown field')));
  const more = rest.map((issue) => `; ${issue.path}: ${issue.message}`).join('');
  const got = /^got (.*?), expected (.*)$/s.exec(first.message);
  const unknown = /^unknown field(.*)$/.exec(first.message);
  const value = valueAt(options, first.keys);
  const expected = got
    ? `${got[2]}${value === undefined ? ' (required)' : ''}`
    : unknown
      ? knownFields(fieldsAt(json, first.keys.slice(0, -1).map((key) => (/^\d+$/.test(key) ? Number(key) : key))), unknown[1])
      : first.message;
  throw new InvalidArgumentError({
    argument: first.path,
    ...(got && value !== undefined ? { value } : {}),
    expected: `${expected}${more}`,
    hint: `\`rlgf plugins --options\` lists the options of ${kind} "${factory.id}"`,
  });
}

function valueAt(options: unknown, path: readonly string[]): unknown {
  let node = options;
  for (const key of path) node = (node as Record<string, unknown> | undefined)?.[key];
  return node;
}

/**
 * Option name -> one line of help, for `rlgf plugins --options` and the docs: rendered from the
 * schema (description, type, default or "required") when the factory has one, else its `options`.
 */
export function optionHelp(factory: ComponentFactoryV1): Record<string, string> {
  if (!factory.optionsSchema) return { ...(factory.options ?? {}) };
  return Object.fromEntries(
    describeOptions(factory).map((option) => [
      option.name,
      `${option.description}${option.description ? ' ' : ''}(${option.type}${option.required ? ', required' : option.default !== undefined ? `, default ${option.default}` : ''})`,
    ]),
  );
}

/** What an unknown option could have been: the options at its level, or none at all. */
function knownFields(fields: readonly string[], suggestion: string): string {
  return fields.length > 0 ? `one of the options at this level: ${fields.join(', ')}${suggestion}` : 'no option here: this component takes none';
}
