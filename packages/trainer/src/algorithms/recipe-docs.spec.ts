import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeSchema } from '@rlgf/recipe';
import { renderRecipeReference } from './recipe-docs';
import { builtInAlgorithms } from './registry';

describe('docs/recipes.md', () => {
  it('is up to date, algorithm settings included (regenerate with `npm run docs:recipes`)', () => {
    expect(readFileSync(join(__dirname, '../../../../docs/recipes.md'), 'utf8')).toBe(renderRecipeReference());
  });

  it('documents every setting of every built-in algorithm', () => {
    for (const module of builtInAlgorithms) {
      const undocumented = describeSchema(module.settings as unknown as Parameters<typeof describeSchema>[0]).filter((field) => field.description.trim() === '');
      expect([module.name, undocumented]).toEqual([module.name, []]);
    }
  });
});
