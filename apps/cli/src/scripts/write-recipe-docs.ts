import { renderRecipeReference } from '@rlgf/trainer';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Regenerates docs/recipes.md from the recipe schema and the algorithm modules' settings (`npm run docs:recipes`).
const target = join(process.cwd(), 'docs', 'recipes.md');
mkdirSync(join(process.cwd(), 'docs'), { recursive: true });
writeFileSync(target, renderRecipeReference());
process.stdout.write(`wrote ${target}\n`);
