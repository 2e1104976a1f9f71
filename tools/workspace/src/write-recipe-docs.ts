import { renderRecipeDocs } from '@rlgf/recipe';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

// Regenerates docs/recipes.md from the recipe schema (`npm run docs:recipes`).
const target = join(process.cwd(), 'docs', 'recipes.md');
mkdirSync(join(process.cwd(), 'docs'), { recursive: true });
writeFileSync(target, renderRecipeDocs());
process.stdout.write(`wrote ${target}\n`);
