/**
 * Recipes allow shorthands (`task: imdb`, `policy: { model: owner/name }`, `plugins: [./x]`).
 * Overrides such as `--set task.options.limit=5` must reach into the long form, so shorthands are
 * expanded before overrides are applied. The schema accepts both forms as well.
 */
const expanders: Record<string, (value: unknown) => unknown> = {
  task: (value) => component(value),
  guide: (value) => component(value),
  reward: (value) => (Array.isArray(value) ? value.map(component) : value),
  metrics: (value) => (Array.isArray(value) ? value.map(component) : value),
  plugins: (value) => (Array.isArray(value) ? value.map((entry) => (typeof entry === 'string' ? { module: entry } : entry)) : value),
  policy: (value) => withModel(value),
  reference: (value) => withModel(value),
  critic: (value) => withModel(value),
};

function component(value: unknown): unknown {
  return typeof value === 'string' ? { id: value } : value;
}

function withModel(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const model = (value as Record<string, unknown>).model;
  return typeof model === 'string' ? { ...value, model: { source: model } } : value;
}

export function expandShorthands(document: Record<string, unknown>): Record<string, unknown> {
  const expanded: Record<string, unknown> = { ...document };
  for (const [field, expand] of Object.entries(expanders)) {
    if (field in expanded) expanded[field] = expand(expanded[field]);
  }
  return expanded;
}
