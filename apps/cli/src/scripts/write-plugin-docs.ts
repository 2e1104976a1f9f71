import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderPluginDocs } from '../docs/render-plugin-docs';

// Regenerates docs/plugins.md from the built-in factories' option schemas (`npm run docs:plugins`).
async function main(): Promise<void> {
  const target = join(process.cwd(), 'docs', 'plugins.md');
  mkdirSync(join(process.cwd(), 'docs'), { recursive: true });
  writeFileSync(target, await renderPluginDocs());
  process.stdout.write(`wrote ${target}\n`);
}

void main();
