import { describeIssues as describeSchemaIssues, type SchemaIssue } from '@rlgf/core';
import type { z } from 'zod';
import { recipeSchema } from './schema/recipe';

interface SchemaDef {
  readonly type?: string;
  readonly innerType?: unknown;
  readonly in?: unknown;
  readonly element?: unknown;
  readonly shape?: Record<string, unknown>;
  readonly options?: readonly unknown[];
}

const defOf = (schema: unknown): SchemaDef | undefined => (schema as { _zod?: { def?: SchemaDef } } | undefined)?._zod?.def;

/** The field names of the object schema(s) at `path` of a zod schema (wrappers and unions looked through). */
export function fieldsAt(schema: unknown, path: readonly PropertyKey[]): string[] {
  const def = defOf(schema);
  if (!def) return [];
  if (def.innerType !== undefined) return fieldsAt(def.innerType, path);
  if (def.type === 'pipe') return fieldsAt(def.in, path);
  if (def.type === 'union') return [...new Set((def.options ?? []).flatMap((option) => fieldsAt(option, path)))];
  const [head, ...rest] = path;
  if (def.type === 'array') return head === undefined ? [] : fieldsAt(def.element, rest);
  if (def.type !== 'object' || !def.shape) return [];
  return head === undefined ? Object.keys(def.shape) : fieldsAt(def.shape[String(head)], rest);
}

/**
 * Turns zod issues of a recipe into `{ path, message }` pairs that name the field, the bad value
 * and what is expected (`optimization.minibatchSize: got -3, expected > 0`); an unknown field
 * suggests the known one it is closest to. `schema` is the recipe schema unless a part of it (an
 * algorithm's settings) was validated on its own.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[], input: unknown, schema: unknown = recipeSchema): { path: string; message: string }[] {
  return describeSchemaIssues(issues as readonly SchemaIssue[], input, { knownKeys: (path) => fieldsAt(schema, path) });
}
