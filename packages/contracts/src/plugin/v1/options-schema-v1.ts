/**
 * The options schema a component factory declares. It is the vendor-neutral Standard Schema
 * (`~standard.validate`, https://standardschema.dev) plus Standard JSON Schema
 * (`~standard.jsonSchema`), written out structurally so this package imports no validation
 * library: a zod 4 object schema satisfies it as is, and so would valibot or ArkType. The core
 * validates with `validate` and renders `rlgf plugins --options` and the docs from `jsonSchema`.
 */
export interface OptionsSchemaV1<Output = unknown> {
  readonly '~standard': {
    readonly version: 1;
    /** The library that made the schema, e.g. `zod`. */
    readonly vendor: string;
    /** Synchronous validation only: options are checked before any component work starts. */
    readonly validate: (value: unknown) => OptionsValidationResultV1<Output> | Promise<OptionsValidationResultV1<Output>>;
    readonly jsonSchema: {
      /** The JSON Schema of the accepted input (`target: 'draft-2020-12'`): properties, descriptions, defaults. */
      readonly input: (options: { readonly target: 'draft-2020-12' | 'draft-07' }) => Record<string, unknown>;
    };
  };
}

/** One problem found by an options schema; `path` is relative to the component's `options`. */
export interface OptionsIssueV1 {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }>;
}

export type OptionsValidationResultV1<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<OptionsIssueV1> };
