import { renderRecipeDocs, type AlgorithmDoc } from '@rlgf/recipe';
import { createAlgorithmRegistry, type AlgorithmRegistry } from './registry';

/** docs/recipes.md: the recipe's fields and every registered algorithm's settings. */
export function renderRecipeReference(registry: AlgorithmRegistry = createAlgorithmRegistry()): string {
  return renderRecipeDocs({
    algorithms: registry.modules.map(({ name, description, settings }) => ({ name, description, settings: settings as unknown as AlgorithmDoc['settings'] })),
  });
}
