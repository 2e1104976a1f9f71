import { loadRecipe } from '@rlgf/recipe';
import { resolveAlgorithm } from '@rlgf/trainer';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from './testing/cli-workspace';

// The recipes the README points users at must stay valid as the schema and the algorithm modules
// change: each loads, and its algorithm resolves with its settings.
const recipes = readdirSync(join(repositoryRoot, 'recipes')).filter((file) => file.endsWith('.yaml'));

describe('recipes/', () => {
  it.each(recipes)('%s is a valid recipe for its algorithm', async (file) => {
    const loaded = await loadRecipe(join(repositoryRoot, 'recipes', file));
    const resolved = resolveAlgorithm(loaded.recipe, undefined, file);
    expect(resolved.schedule.name).toBe(loaded.recipe.algorithm.name);
  });
});
