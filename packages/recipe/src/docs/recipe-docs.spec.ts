import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { recipeShape } from '../schema/recipe';
import { describeSchema } from './describe-schema';
import { renderRecipeDocs } from './render-recipe-docs';

describe('recipe documentation', () => {
  it('describes every field of the schema', () => {
    const undocumented = describeSchema(recipeShape).filter((field) => field.description.trim() === '').map((f) => f.path);
    expect(undocumented).toEqual([]);
  });

  it('starts docs/recipes.md (the trainer checks the whole file, algorithm settings included)', () => {
    const committed = readFileSync(join(__dirname, '../../../../docs/recipes.md'), 'utf8');
    expect(committed.startsWith(renderRecipeDocs())).toBe(true);
  });

  it('shows types, bounds and defaults', () => {
    const byPath = new Map(describeSchema(recipeShape).map((field) => [field.path, field]));
    expect(byPath.get('optimization.minibatchSize')).toMatchObject({ type: 'integer > 0', default: '`28`' });
    expect(byPath.get('rollout.decoding')?.type).toBe('strategy: `greedy` \\| `sample` \\| `beam`');
    expect(byPath.get('guide')?.type).toBe('object (optional)');
  });
});
