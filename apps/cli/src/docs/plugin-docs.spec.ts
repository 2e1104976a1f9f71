import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderPluginDocs } from './render-plugin-docs';

describe('docs/plugins.md', () => {
  it('is the rendering of the built-in factories\' option schemas (run `npm run docs:plugins` after changing one)', async () => {
    const committed = readFileSync(join(__dirname, '../../../../docs/plugins.md'), 'utf8');
    expect(committed).toBe(await renderPluginDocs());
  });

  it('shows each schema option with its type and default, and required ones as such', async () => {
    const docs = await renderPluginDocs();
    expect(docs).toContain('| `promptTokens` | integer | `64` | policy tokens of the review that form the prompt; the rest of the review is the reference |');
    expect(docs).toMatch(/\| `endpointUrl` \| string \| required \| base URL of the server/);
    expect(docs).toContain('### `hf-endpoint` (guide)');
  });
});
