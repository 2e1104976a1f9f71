import { recipeShape } from '../schema/recipe';
import { describeSchema, type FieldDoc } from './describe-schema';

/** An algorithm module's settings, for the "Algorithm settings" section. */
export interface AlgorithmDoc {
  readonly name: string;
  readonly description: string;
  /** Its settings schema (a zod object). */
  readonly settings: Parameters<typeof describeSchema>[0];
}

const row = (field: FieldDoc) => `| \`${field.path}\` | ${field.type} | ${field.default ?? ''} | ${field.description.replace(/\|/g, '\\|')} |`;

function algorithmSection(algorithms: readonly AlgorithmDoc[]): string[] {
  if (algorithms.length === 0) return [];
  return [
    '## Algorithm settings',
    '',
    "Each algorithm module declares its own settings, written beside `algorithm.name`; a setting of another algorithm is refused with the algorithm it belongs to.",
    '',
    ...algorithms.flatMap((algorithm) => {
      const fields = describeSchema(algorithm.settings, 'algorithm');
      return [
        `### \`${algorithm.name}\``,
        '',
        `${algorithm.description}.`,
        '',
        ...(fields.length > 0 ? ['| field | type | default | description |', '|---|---|---|---|', ...fields.map(row)] : ['No settings.']),
        '',
      ];
    }),
  ];
}

/**
 * docs/recipes.md, generated from the schema (and the algorithm modules' settings schemas, which
 * the trainer passes in) so it cannot drift from what is validated.
 */
export function renderRecipeDocs(options: { readonly algorithms?: readonly AlgorithmDoc[] } = {}): string {
  const rows = describeSchema(recipeShape).map(row);
  return [
    '# Recipe reference',
    '',
    '<!-- Generated from packages/recipe/src/schema by `npm run docs:recipes`; do not edit by hand. -->',
    '',
    'A recipe is a YAML file naming everything a run needs. Only `task` and `policy.model` are',
    "required; every other field has a default (the authors' IMDB settings). Override any field on",
    'the command line with `--set path=value` (the value is read as YAML). Shorthands: `task: imdb`',
    'means `task: { id: imdb }`, `policy: { model: owner/name }` means `model: { source: owner/name }`,',
    'and a plugin entry may be just its module name. Plugin paths are relative to the recipe file;',
    '`outputDir`, `hub.mirror` and local model directories are relative to the working directory.',
    '',
    'Cross-field checks: `optimization.minibatchSize` and `rollout.generationBatchSize` must divide',
    '`rollout.samplesPerIteration`; `rollout.minNewTokens` may not exceed `rollout.maxNewTokens`; and',
    'each algorithm checks its own (guided algorithms need a `guide`, a group size must divide the',
    'batch, D2LOLS must switch before the last iteration).',
    '',
    '| field | type | default | description |',
    '|---|---|---|---|',
    ...rows,
    '',
    ...algorithmSection(options.algorithms ?? []),
  ].join('\n');
}
