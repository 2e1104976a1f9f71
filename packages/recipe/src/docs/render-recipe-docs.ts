import { recipeShape } from '../schema/recipe';
import { describeSchema } from './describe-schema';

/** docs/recipes.md, generated from the schema so it cannot drift from what is validated. */
export function renderRecipeDocs(): string {
  const rows = describeSchema(recipeShape).map(
    (field) => `| \`${field.path}\` | ${field.type} | ${field.default ?? ''} | ${field.description.replace(/\|/g, '\\|')} |`,
  );
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
    '`rollout.samplesPerIteration`; guided algorithms need a `guide`; D2LOLS must switch before the',
    'last iteration; `rollout.minNewTokens` may not exceed `rollout.maxNewTokens`.',
    '',
    '| field | type | default | description |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
