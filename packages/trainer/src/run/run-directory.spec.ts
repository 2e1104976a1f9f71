import { parseRecipe } from '@rlgf/recipe';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { readRecipeChanges, recordRecipeChanges, startRunDirectory } from './run-directory';

const loaded = (overrides: string[] = []) => parseRecipe({ task: 'synthetic', policy: { model: 'm' } }, { source: 'r.yaml', baseDir: '/tmp', overrides });
const logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('run directories', () => {
  it('write recipe.yaml when a run starts, and refuse one whose run has checkpoints', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'rlgf-dir-')), 'run');
    await startRunDirectory(dir, loaded(), 'train');
    expect(parse(await readFile(join(dir, 'recipe.yaml'), 'utf8'))).toEqual(loaded().document);
    await mkdir(join(dir, 'checkpoints', 'iteration-000003'), { recursive: true });
    await writeFile(join(dir, 'checkpoints', 'iteration-000003', 'COMPLETE'), '');
    await expect(startRunDirectory(dir, loaded(), 'train')).rejects.toThrow(`run directory ${dir} already has checkpoints (latest after iteration 3)`);
  });

  it('record changes made on resume in recipe.yaml and recipe-changes.jsonl, never showing a token', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rlgf-dir-'));
    const changed = loaded(['seed=3', 'guide={id: hf-endpoint, options: {endpointUrl: "http://b", token: secret}}']);
    const changes = [
      { path: 'seed', from: 0, to: 3, changesComputation: true },
      { path: 'guide.options.token', from: 'old', to: 'secret', changesComputation: false },
    ];
    await recordRecipeChanges(dir, changed, changes, 4, logger);
    const recipe = await readFile(join(dir, 'recipe.yaml'), 'utf8');
    expect(recipe.split('\n').slice(0, 3)).toEqual([
      expect.stringMatching(/^# changed on resume after iteration 4 \(\d{4}-.*; recipe-changes.jsonl\):$/),
      '#   seed 0 → 3 (--force)',
      '#   guide.options.token "(not shown)" → "(not shown)"',
    ]);
    expect(parse(recipe).seed).toBe(3);
    expect(readRecipeChanges(dir)).toEqual([{ at: expect.any(String), afterIteration: 4, changes: [changes[0], { ...changes[1], from: '(not shown)', to: '(not shown)' }] }]);
    expect(await readFile(join(dir, 'recipe-changes.jsonl'), 'utf8')).not.toContain('secret');
  });

  it('set aside the change log of an earlier start that left no checkpoint', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rlgf-dir-'));
    await recordRecipeChanges(dir, loaded(), [{ path: 'seed', from: 0, to: 1, changesComputation: true }], undefined, logger);
    await startRunDirectory(dir, loaded(), 'train');
    expect(readRecipeChanges(dir)).toEqual([]);
    expect(await readdir(join(dir, 'checkpoints', 'set-aside'))).toEqual([expect.stringMatching(/^recipe-changes-.*\.jsonl$/)]);
    expect(await readFile(join(dir, 'recipe.yaml'), 'utf8')).not.toContain('#');
  });
});
